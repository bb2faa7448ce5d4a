import { Document, isMap, isPair, isScalar, isSeq, visit } from '../vendor/yaml.js';
import type { JanusObject } from './traffic.js';

const FLOW_WIDTH = 100;

/**
 * A scenario as YAML the way the shipped scenarios are written: block style for the file and its
 * steps, short requests and patterns on one line.
 */
export function renderScenario(scenario: JanusObject, schemaPath: string): string {
  const doc = new Document(scenario);
  visit(doc, {
    Map(_, node, path) {
      // path: the document, then the top-level map, the steps list: a step's own values are deeper.
      if (path.length >= 6 && !isStep(path) && JSON.stringify(node.toJSON()).length <= FLOW_WIDTH) node.flow = true;
    },
    Seq(_, node, path) {
      if (path.length >= 2 && JSON.stringify(node.toJSON()).length <= FLOW_WIDTH && !node.items.some((i) => isMap(i) && !i.flow)) node.flow = true;
    },
  });
  return `# yaml-language-server: $schema=${schemaPath}\n${doc.toString({ lineWidth: 0 })}`;
}

/** A map in a list of steps (`steps:`, or the requests of a `concurrently:`) is a step: block style. */
function isStep(path: readonly unknown[]): boolean {
  const [pair, list] = path.slice(-2);
  if (!isSeq(list) || !isPair(pair)) return false;
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  return key === 'steps' || key === 'concurrently';
}
