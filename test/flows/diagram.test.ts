// The flow diagrams are drawn from the machines, and the drawn copies in docs/ and README.md are the
// current ones: a state, event, transition or guard added to a flow shows up here or fails the test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getStateNodes, toDirectedGraph, type DirectedGraphNode } from '@xstate/graph';
import { createMachine, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createFlows } from '../../flows/index.ts';
import { loadCoach } from '../../src/content/index.ts';
import { anyStepId, flowDiagram, mermaidId, readmeMarkers, replaceReadmeBlock } from '../../scripts/flows-diagram.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REGENERATE = 'out of date: run `npm run flows:diagram`';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Checks a diagram against the machine, using @xstate/graph's own reading of it. */
function expectDiagramCovers(machine: AnyStateMachine, diagram: string): void {
  const lines = diagram.split('\n').map((l) => l.trim());
  expect(lines[0]).toBe('stateDiagram-v2');

  // Every state node is drawn.
  const nodes = getStateNodes(machine);
  expect(nodes.length).toBeGreaterThan(0);
  for (const node of nodes) {
    const id = mermaidId(node);
    expect(lines.some((l) => l === `state ${id}` || l === `state ${id} {`), `state ${node.id}`).toBe(true);
  }

  // Every event type the machine handles appears as a transition label.
  const labelled = new Set(lines.flatMap((l) => /(?:-->\s*\S+|^\S+)\s+:\s+(\S+)/.exec(l)?.[1] ?? []));
  for (const event of machine.events) expect(labelled.has(event), `event ${event}`).toBe(true);

  // Every edge @xstate/graph finds is drawn: from its state (or "any step" for the root) to its target,
  // or, when it stays put, as a line of that state's description.
  const all = (n: DirectedGraphNode): DirectedGraphNode[] => [n, ...n.children.flatMap(all)];
  for (const node of all(toDirectedGraph(machine))) {
    const from = node.stateNode === machine.root ? anyStepId(machine) : mermaidId(node.stateNode);
    for (const edge of node.edges) {
      const event = edge.label.text || 'always';
      const drawnAs = edge.transition.target?.length
        ? new RegExp(`^${escape(from)} --> ${escape(mermaidId(edge.target))} : ${escape(event)}\\b`)
        : new RegExp(`^${escape(from)} : ${escape(event)}\\b`);
      expect(lines.some((l) => drawnAs.test(l)), `${from} ${event} → ${edge.target.id}`).toBe(true);
      if (typeof edge.transition.guard === 'string') {
        expect(lines.some((l) => drawnAs.test(l) && l.includes(`[${edge.transition.guard}]`)), `guard ${edge.transition.guard}`).toBe(true);
      }
    }
  }

  // The initial state is marked.
  const initial = machine.root.initial?.target?.[0];
  if (initial) expect(lines).toContain(`[*] --> ${mermaidId(initial)}`);
}

describe('flow diagrams', () => {
  const flows = createFlows(loadCoach());

  for (const flow of Object.values(flows)) {
    it(`${flow.name}: draws every state, event, transition and guard of the machine`, () => {
      expectDiagramCovers(flow.machine, flowDiagram(flow.machine));
    });

    it(`${flow.name}: docs/flows/${flow.name}.mmd is the current drawing`, () => {
      const file = join(ROOT, 'docs', 'flows', `${flow.name}.mmd`);
      expect(existsSync(file), `${file} is missing: run \`npm run flows:diagram\``).toBe(true);
      expect(readFileSync(file, 'utf8'), REGENERATE).toBe(flowDiagram(flow.machine));
    });

    it(`${flow.name}: README.md shows the current drawing between its markers`, () => {
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const { start, end } = readmeMarkers(flow.name);
      expect(readme, `README.md has no ${start} … ${end} block: add the markers and run \`npm run flows:diagram\``).toContain(start);
      expect(readme).toContain(end);
      expect(replaceReadmeBlock(readme, flow.name, flowDiagram(flow.machine)), REGENERATE).toBe(readme);
    });
  }

  it('draws what a machine declares, whatever its shape: nested states, guards, final states, root transitions', () => {
    const machine = createMachine(
      {
        id: 'sample',
        initial: 'idle',
        on: { RESET: { target: '.idle' } },
        states: {
          idle: { on: { GO: [{ guard: 'ready', target: 'busy' }, { target: 'waiting', actions: 'complain' }] } },
          waiting: { entry: 'hint', on: { POKE: {} } },
          busy: {
            initial: 'one',
            states: { one: { on: { STEP: 'two' } }, two: { on: { STEP: '#sample.done' } } },
            on: { CANCEL: 'idle' },
          },
          done: { type: 'final' },
        },
      },
      { guards: { ready: () => true }, actions: { complain: () => {}, hint: () => {} } },
    );
    const diagram = flowDiagram(machine);
    expectDiagramCovers(machine, diagram);
    expect(diagram).toContain('idle --> busy : GO [ready]');
    expect(diagram).toContain('idle --> waiting : GO [else] / complain');
    expect(diagram).toContain('waiting : entry / hint');
    expect(diagram).toContain('waiting : POKE (ignored)');
    expect(diagram).toContain('state busy {');
    expect(diagram).toContain('busy_two --> done : STEP');
    expect(diagram).toContain('busy --> idle : CANCEL');
    expect(diagram).toContain('done --> [*]');
    expect(diagram).toContain('sample_any --> idle : RESET');
  });

  it('replaces only the marked README block, and leaves a README without markers alone', () => {
    const { start, end } = readmeMarkers('rehearsal');
    const readme = `# Title\n\nbefore\n${start}\nold picture\n${end}\nafter\n`;
    const once = replaceReadmeBlock(readme, 'rehearsal', 'stateDiagram-v2\n  [*] --> a\n')!;
    expect(once).toBe(`# Title\n\nbefore\n${start}\n\`\`\`mermaid\nstateDiagram-v2\n  [*] --> a\n\`\`\`\n${end}\nafter\n`);
    expect(replaceReadmeBlock(once, 'rehearsal', 'stateDiagram-v2\n  [*] --> a\n')).toBe(once);
    expect(replaceReadmeBlock('# No markers\n', 'rehearsal', 'x')).toBeUndefined();
  });
});
