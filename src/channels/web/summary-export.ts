// The summary to take away as a Word document. The page sends back the summary it was given (the
// coach keeps no copy to fetch), checked here, and gets a .docx built with the `docx` package.
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { z } from 'zod';
import { barLines } from '../../shapes/reply.ts';

const short = (name: string, max: number) => z.string(`${name} must be a string`).max(max, `${name} can be at most ${max} characters`);

/** The summary as the page has it: its title and sections (the Reply's `summary`, other fields ignored). */
export const summaryExport = z.object({
  summary: z.object(
    {
      title: short('summary.title', 200).min(1, 'summary.title must not be empty'),
      sections: z
        .array(
          z.object({
            heading: short('a section heading', 200),
            lines: z.array(short('a line', 4_000)).max(200, 'a section can have at most 200 lines'),
            chart: z
              .array(z.object({ label: short('a bar label', 100), count: z.number('a bar count must be a number').int().min(0).max(1_000_000) }))
              .max(50, 'a chart can have at most 50 bars')
              .optional(),
          }),
        )
        .min(1, 'the summary needs at least one section')
        .max(50, 'a summary can have at most 50 sections'),
    },
    'summary must be the summary object from a reply',
  ),
});
export type SummaryExport = z.infer<typeof summaryExport>['summary'];

/** A line's runs: the summary marks a question type's name as **bold**, which Word shows as bold. */
function runs(line: string): TextRun[] {
  return line.split('**').map((text, i) => new TextRun({ text, bold: i % 2 === 1 }));
}

export function summaryDocx(summary: SummaryExport): Promise<Buffer> {
  const children = [
    new Paragraph({ text: summary.title, heading: HeadingLevel.HEADING_1 }),
    ...summary.sections.flatMap((section) => [
      new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_2 }),
      // A chart's bars in a fixed-width font, so they line up as they do in the chat.
      ...barLines(section.chart ?? []).map((bar) => new Paragraph({ children: [new TextRun({ text: bar, font: 'Courier New' })] })),
      ...section.lines.map((line) => new Paragraph({ children: runs(line), bullet: { level: 0 } })),
    ]),
  ];
  const document = new Document({
    creator: 'Strengths Coach',
    title: summary.title,
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}

/** A file name from the title: "Rehearsal summary" → "rehearsal-summary". */
export function fileName(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'summary';
}
