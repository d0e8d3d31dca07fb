// What a question takes for granted about the person ("Who does your brother rely on…?" takes a
// brother; "What are you good at at college?" takes college), and what the practitioner has said
// about them. An idea is offered only when everything it takes for granted is known: a question
// that presupposes a life the person does not have tells them the coach was not listening.

/** Each fact a question can take for granted, and the words that show it (in a question or in notes). */
const FACTS: [id: string, words: RegExp][] = [
  ['relative:mum', /\b(?:mum|mum's|mother|mother's|mam)\b/i],
  ['relative:dad', /\b(?:dad|dad's|father|father's)\b/i],
  ['relative:son', /\b(?:son|son's|sons)\b/i],
  ['relative:daughter', /\b(?:daughter|daughter's|daughters)\b/i],
  ['relative:brother', /\b(?:brother|brother's|brothers)\b/i],
  ['relative:sister', /\b(?:sister|sister's|sisters)\b/i],
  ['relative:wife', /\b(?:wife|wife's)\b/i],
  ['relative:husband', /\b(?:husband|husband's)\b/i],
  ['relative:partner', /\b(?:partner|partner's)\b/i],
  ['relative:grandchildren', /\b(?:grandchild|grandchildren|grandson|granddaughter|grandkids|grandsons|granddaughters)\b/i],
  ['relative:children', /\b(?:children|kids)\b(?!.*\bgrand)/i],
  ['family', /\b(?:the|your|his|her|their) family\b/i],
  ['work', /\b(?:job|jobs|work(?:ing)? life|workmates|colleagues|manager|work experience|back to work|at work|from work|job coaching|employer|workplace|placement)\b/i],
  ['study', /\b(?:college|school|course|university|uni|student|teacher|lessons?)\b/i],
  ['voices', /\bvoices\b/i],
  ['diagnosis', /\b(?:diagnos\w*|dementia|depression|anxiety|illness|ill for|schizophrenia|bipolar|psychosis|parkinson'?s|stroke|cancer|epilepsy|diabetes|memory (?:changing|loss)|losing (?:his|her) sight|mental health|recovery|sober|drinking|drugs?)\b/i],
  ['caring', /\b(?:caring for|carer|as a carer|break from caring|look after (?:your|his|her) (?:husband|wife|mum|dad|son|daughter|brother|sister|partner)|looked after (?:your|his|her) (?:mum|dad))\b/i],
  ['pet', /\b(?:dog|dogs|cat|cats|pet|pets)\b/i],
  ['faith', /\b(?:faith|church|mosque|temple|chapel|gurdwara|synagogue|prayer|pray)\b/i],
  ['bereavement', /\b(?:died|passed away|lost (?:your|his|her) (?:wife|husband|partner|mum|dad|son|daughter))\b/i],
  ['services', /\b(?:day service|day centre|support worker|the carers|carers don't|respite|placement)\b/i],
  ['hospital', /\b(?:hospital|on the ward|weeks on the ward|admission|discharged?)\b/i],
  // A follow-up to something the person said ("You said mornings are hard"): never known beforehand.
  ['said-before', /\byou (?:said|mentioned|told me)\b/i],
];

/** The facts a question takes for granted. */
export function presupposedBy(question: string): string[] {
  return FACTS.filter(([, words]) => words.test(question)).map(([id]) => id);
}

/** The facts what the practitioner has written shows: the visit's purpose and their notes. */
export function knownFrom(texts: readonly string[]): Set<string> {
  const known = new Set<string>();
  for (const text of texts) for (const [id, words] of FACTS) if (words.test(text)) known.add(id);
  // Any relative named makes "your family" known too.
  if ([...known].some((f) => f.startsWith('relative:'))) known.add('family');
  return known;
}

/** Whether everything `presupposes` takes for granted is known. */
export function fits(presupposes: readonly string[], known: ReadonlySet<string>): boolean {
  return presupposes.every((fact) => known.has(fact));
}
