// In a crisis, safety comes first (001): the coach says so and stays out of the way. These are
// signs that a practitioner is describing an emergency now, not preparing a conversation.
const CRISIS = [
  /\bsuicid/i,
  /\bkill(?:ing)? (?:him|her|them)sel(?:f|ves)\b/i,
  /\b(?:harm|hurt)(?:ing)? (?:him|her|them)sel(?:f|ves)\b/i,
  /\boverdose[ds]?\b/i,
  /\bimmediate (?:danger|risk)\b/i,
  /\bcall(?:ed|ing)? (?:999|an ambulance|the police)\b/i,
  /\b(?:is|are) being (?:abused|assaulted|hit|attacked)\b/i,
  /\bhappening (?:right )?now\b/i,
  /\bunconscious\b/i,
  /\bnot breathing\b/i,
];

export function mentionsCrisis(text: string): boolean {
  return CRISIS.some((re) => re.test(text));
}
