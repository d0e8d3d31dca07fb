import { createPracticeMachine, forgetPracticeParticipant, PRACTICE_VERSION } from "./practice.js";
import { createRehearsalMachine, REHEARSAL_VERSION } from "./rehearsal.js";
export function createFlows(coach, options = {}) {
    return {
        rehearsal: { name: 'rehearsal', version: REHEARSAL_VERSION, machine: createRehearsalMachine(coach) },
        practice: {
            name: 'practice',
            version: PRACTICE_VERSION,
            machine: createPracticeMachine(coach, options.practice),
            forget: forgetPracticeParticipant,
        },
    };
}
