// Reads a Mermaid diagram with Mermaid's own parser, as GitHub renders it, and prints what the
// Gantt chart draws: each task's id, name, tags and start and end (epoch milliseconds, read in
// this process's time zone). Exit 1 with the parser's message when Mermaid rejects the text.
// Mermaid needs a DOM to load: jsdom gives it one, no browser.
//   node mermaid-gantt.mjs FILE
import { JSDOM } from 'jsdom';
import { readFileSync } from 'fs';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

const text = readFileSync(process.argv[2], 'utf8');
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const tasks = diagram.db.getTasks().map(t => ({
    id: t.id, task: t.task.trim(), start: t.startTime.getTime(), end: t.endTime.getTime(),
    tags: ['done', 'crit', 'active', 'milestone'].filter(k => t[k]),
  }));
  console.log(JSON.stringify({ type: diagram.type, title: diagram.db.getDiagramTitle(), dateFormat: diagram.db.getDateFormat(), tasks }));
} catch (e) {
  console.error('invalid: ' + e.message);
  process.exit(1);
}
