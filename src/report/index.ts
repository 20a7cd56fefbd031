/**
 * Reports: one model (`buildReport`, `managementReview`), pure writers (JSON with a JSON Schema,
 * Markdown, self-contained HTML with charts as inline SVG), and PDF through Chromium.
 *
 * @example
 * ```ts
 * import { buildReport, reportFiles } from 'fairwatch';
 * const files = await reportFiles(await buildReport({ store, period: '2026-01-01..2026-03-31' }));
 * ```
 */
export * from './types.js';
export { buildReport, assembleReport, trendSeries, type BuildReportOptions, type ReportRecords, type ReportResult } from './build.js';
export { ratesChartSpec, reliabilityChartSpec, trendChartSpec, renderChartSVG, RATE_CHART_METRICS } from './charts.js';
export { htmlDocument, htmlTable, chartFigure, fmtNumber, fmtInterval, type HtmlCell } from './html.js';
export { installedVersion, libraryVersions, MANIFEST_LIBRARIES } from './manifest.js';
export { reportSchema, reportJSONSchema } from './schema.js';
export { reportToJSON, reportToMarkdown, reportToHTML, reportFiles, REPORT_FILES } from './writers.js';
export {
  managementReview, assembleReview, reviewToJSON, reviewToMarkdown, reviewToHTML, reviewFiles, REVIEW_FILES,
  type ReviewModel, type ReviewOptions, type ReviewRecords, type RiskChangeItem, type ReviewAlert, type ReviewDecision,
} from './review.js';
export { htmlToPDF, chromiumPath, CHROMIUM_ARGS, launchChromium, type PdfOptions } from './pdf.js';
