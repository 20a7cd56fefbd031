/**
 * Notebook display of a result: the MIME bundle of the Deno Jupyter kernel convention. An object
 * with a `[Symbol.for('Jupyter.display')]()` method returning `{ mime type: content }` is shown by
 * the kernel in the richest form the front end supports; the result's method calls
 * {@link jupyterDisplay}.
 *
 * @example
 * ```ts
 * // in a Deno notebook cell, `r` displays itself; by hand:
 * const bundle = jupyterDisplay(r.toJSON(), 'tpr');
 * Object.keys(bundle); // ['text/html', 'application/vnd.vegalite.v6+json', 'text/plain']
 * ```
 */
import { metricChartSpec } from './chart.js';
import { formatResultHTML, formatResultText, type FormatOptions } from './format.js';
import type { GroupMetricsJSON } from './result.js';

/**
 * The Deno Jupyter kernel's display hook: `obj[JUPYTER_DISPLAY]()` returns a MIME bundle.
 *
 * @example
 * ```ts
 * JUPYTER_DISPLAY === Symbol.for('Jupyter.display'); // true
 * Object.keys(r[JUPYTER_DISPLAY]()); // ['text/html', 'application/vnd.vegalite.v6+json', 'text/plain']
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display') as typeof JUPYTER_DISPLAY;

/** A MIME bundle: the result as an HTML table, a Vega-Lite chart of one metric, and plain text. */
export interface JupyterBundle {
  'text/html': string;
  'application/vnd.vegalite.v6+json': object;
  'text/plain': string;
}

/**
 * The MIME bundle of a result: {@link formatResultHTML}, {@link metricChartSpec} of `metric`
 * (default `selectionRate`) and {@link formatResultText}. Throws `InputError` for an unknown metric.
 *
 * @example
 * ```ts
 * class Shown { [JUPYTER_DISPLAY]() { return jupyterDisplay(r.toJSON()); } }
 * jupyterDisplay(r.toJSON())['text/plain'].startsWith('Group metrics by'); // true
 * ```
 */
export function jupyterDisplay(json: GroupMetricsJSON, metric = 'selectionRate', options: FormatOptions = {}): JupyterBundle {
  return {
    'text/html': formatResultHTML(json, options),
    'application/vnd.vegalite.v6+json': metricChartSpec(json, metric, options.digits === undefined ? {} : { digits: options.digits }),
    'text/plain': formatResultText(json, options),
  };
}
