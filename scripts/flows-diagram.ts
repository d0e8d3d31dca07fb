// Draws every flow as a Mermaid state diagram, read from the machine itself (its states, transitions,
// guards and actions), so the picture in docs/ and the README cannot drift from the code. Writes
// docs/flows/<name>.mmd and, where README.md has the markers, replaces the block between
// <!-- flows:<name>:start --> and <!-- flows:<name>:end -->.
//
//   npm run flows:diagram
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyStateMachine, StateNode } from 'xstate';
import { createFlows } from '../flows/index.ts';
import { loadCoach } from '../src/content/index.ts';

type AnyNode = StateNode<any, any>;
type Transition = AnyNode['transitions'] extends Map<string, (infer T)[]> ? T : never;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Mermaid id of a state node: its path below the root, joined with "_" (ids must be unique and plain). */
export function mermaidId(node: AnyNode): string {
  return node.path.map((p) => p.replace(/[^A-Za-z0-9_]/g, '_')).join('_');
}

/** The id of the box that stands for "any step": the root's own transitions start there. */
export function anyStepId(machine: AnyStateMachine): string {
  const base = `${machine.root.id.replace(/[^A-Za-z0-9_]/g, '_')}_any`;
  let id = base;
  for (let i = 2; allNodes(machine.root).some((n) => mermaidId(n) === id); i++) id = `${base}${i}`;
  return id;
}

function allNodes(node: AnyNode): AnyNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...allNodes(child)]);
}

/** A name for an action, guard or similar reference: its type when named, else the function's name. */
function nameOf(ref: unknown): string {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'function') return ref.name && ref.name !== 'anonymous' ? ref.name : 'inline';
  if (ref && typeof ref === 'object' && 'type' in ref && typeof (ref as { type: unknown }).type === 'string') {
    return (ref as { type: string }).type;
  }
  return 'inline';
}

/** "EVENT [guard] / action, action": what a transition is taken on, when, and what it does. */
function label(event: string, transition: Transition, siblings: readonly Transition[]): string {
  let text = event;
  if (transition.guard !== undefined) text += ` [${nameOf(transition.guard)}]`;
  else if (siblings.length > 1 && siblings.indexOf(transition) > 0) text += ' [else]';
  const actions = transition.actions.map(nameOf);
  if (actions.length) text += ` / ${actions.join(', ')}`;
  return text;
}

function eventName(type: string): string {
  return type === '' ? 'always' : type;
}

/** The transitions a node declares itself, in declaration order, eventless ones last. */
function ownTransitions(node: AnyNode): [string, Transition[]][] {
  const list: [string, Transition[]][] = [...node.transitions].map(([type, ts]) => [eventName(type), ts as Transition[]]);
  if (node.always?.length) list.push(['always', node.always as Transition[]]);
  return list;
}

function describeNode(node: AnyNode, from: string, indent: string, lines: string[]): void {
  for (const action of node.entry) lines.push(`${indent}${from} : entry / ${nameOf(action)}`);
  for (const action of node.exit) lines.push(`${indent}${from} : exit / ${nameOf(action)}`);
  for (const [event, transitions] of ownTransitions(node)) {
    for (const t of transitions) {
      const text = label(event, t, transitions);
      if (!t.target?.length) {
        // Targetless: handled in place, without leaving the state.
        lines.push(`${indent}${from} : ${text}${t.actions.length ? '' : ' (ignored)'}`);
      } else {
        for (const target of t.target) lines.push(`${indent}${from} --> ${mermaidId(target)} : ${text}`);
      }
    }
  }
}

function drawChildren(parent: AnyNode, indent: string, lines: string[]): void {
  const initial = parent.initial?.target?.[0];
  if (initial) lines.push(`${indent}[*] --> ${mermaidId(initial)}`);
  for (const child of Object.values(parent.states)) {
    const id = mermaidId(child);
    if (Object.keys(child.states).length) {
      lines.push(`${indent}state ${id} {`);
      drawChildren(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state ${id}`);
    }
    describeNode(child, id, indent, lines);
    if (child.type === 'final') lines.push(`${indent}${id} --> [*]`);
  }
}

/** The machine as a Mermaid stateDiagram-v2, one line per state, description and transition. */
export function flowDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2', `  %% ${machine.root.id}: generated from the machine by \`npm run flows:diagram\`; do not edit by hand.`];
  drawChildren(machine.root, '  ', lines);
  if (machine.root.transitions.size || machine.root.always?.length || machine.root.entry.length) {
    // The root's own transitions apply in every step that does not handle the event itself.
    const any = anyStepId(machine);
    lines.push(`  state "any step" as ${any}`);
    describeNode(machine.root, any, '  ', lines);
    lines.push(`  classDef anyStep stroke-dasharray: 4 4`, `  class ${any} anyStep`);
  }
  return `${lines.join('\n')}\n`;
}

export function readmeMarkers(name: string): { start: string; end: string } {
  return { start: `<!-- flows:${name}:start -->`, end: `<!-- flows:${name}:end -->` };
}

/** README text with the flow's block replaced by the diagram, or undefined when the markers are not there. */
export function replaceReadmeBlock(readme: string, name: string, diagram: string): string | undefined {
  const { start, end } = readmeMarkers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from + start.length);
  if (from < 0 || to < 0) return undefined;
  return `${readme.slice(0, from + start.length)}\n\`\`\`mermaid\n${diagram}\`\`\`\n${readme.slice(to)}`;
}

function main(): void {
  const flows = createFlows(loadCoach());
  const readmePath = join(ROOT, 'README.md');
  const original = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined;
  let readme = original;
  const outDir = join(ROOT, 'docs', 'flows');
  mkdirSync(outDir, { recursive: true });
  for (const flow of Object.values(flows)) {
    const diagram = flowDiagram(flow.machine);
    const file = join(outDir, `${flow.name}.mmd`);
    writeFileSync(file, diagram);
    console.log(`wrote ${relative(ROOT, file)}`);
    if (readme === undefined) continue;
    const updated = replaceReadmeBlock(readme, flow.name, diagram);
    if (updated === undefined) {
      const { start, end } = readmeMarkers(flow.name);
      console.log(`README.md has no ${start} … ${end} markers: add them where the ${flow.name} diagram should go`);
    } else {
      readme = updated;
    }
  }
  if (readme === undefined) console.log('no README.md: diagrams written to docs/flows only');
  else if (readme !== original) {
    writeFileSync(readmePath, readme);
    console.log('updated the diagram block(s) in README.md');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
