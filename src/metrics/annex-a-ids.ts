/**
 * The ISO/IEC 42001:2023 Annex A control ids, each with a short title in fairwatch's own words.
 *
 * A minimal, self-contained list so that metric cards can be checked (`isoControls` must name
 * real controls) without the shared reference folder. The full control catalogue — evidence
 * kinds and coverage per control — is built separately under `reports/`; a test keeps these ids
 * equal to the reference list in `../shared/iso42001/controls.json` whenever that file exists.
 *
 * @example
 * ```ts
 * import { ANNEX_A_CONTROLS, isAnnexAControl } from './annex-a-ids.js';
 * ANNEX_A_CONTROLS['A.5.4'];  // 'Assess how the AI system affects individuals and groups'
 * isAnnexAControl('A.6.2.4'); // true
 * isAnnexAControl('A.1.1');   // false
 * ```
 */

/**
 * Annex A control id -> short title (our wording). Order follows the standard.
 *
 * @example
 * ```ts
 * ANNEX_A_CONTROLS['A.7.4']; // 'Define and check data quality'
 * ```
 */
export const ANNEX_A_CONTROLS = {
  'A.2.2': 'Set an AI policy',
  'A.2.3': 'Align the AI policy with other organisational policies',
  'A.2.4': 'Review the AI policy at planned intervals',
  'A.3.2': 'Define and assign AI roles and responsibilities',
  'A.3.3': 'Provide a way to report concerns about AI systems',
  'A.4.2': 'Document the resources an AI system needs',
  'A.4.3': 'Document the data resources used',
  'A.4.4': 'Document the tooling resources used',
  'A.4.5': 'Document the system and computing resources used',
  'A.4.6': 'Document the human resources and competences involved',
  'A.5.2': 'Run a process for AI system impact assessment',
  'A.5.3': 'Keep records of impact assessments',
  'A.5.4': 'Assess how the AI system affects individuals and groups',
  'A.5.5': 'Assess the societal impact of the AI system',
  'A.6.1.2': 'Set objectives for responsible AI development',
  'A.6.1.3': 'Define processes for responsible design and development',
  'A.6.2.2': 'Specify the AI system requirements',
  'A.6.2.3': 'Document design and development',
  'A.6.2.4': 'Verify and validate the AI system',
  'A.6.2.5': 'Plan and document deployment',
  'A.6.2.6': 'Operate and monitor the AI system',
  'A.6.2.7': 'Keep technical documentation for the AI system',
  'A.6.2.8': 'Record event logs of the AI system',
  'A.7.2': 'Manage data for development and improvement',
  'A.7.3': 'Document how data is acquired',
  'A.7.4': 'Define and check data quality',
  'A.7.5': 'Record data provenance',
  'A.7.6': 'Define data preparation',
  'A.8.2': 'Give users documentation and information about the system',
  'A.8.3': 'Enable external reporting of adverse impacts',
  'A.8.4': 'Communicate incidents',
  'A.8.5': 'Inform interested parties as required',
  'A.9.2': 'Define processes for responsible use',
  'A.9.3': 'Set objectives for responsible use',
  'A.9.4': 'Use the AI system as intended',
  'A.10.2': 'Allocate responsibilities along the AI supply chain',
  'A.10.3': 'Manage suppliers of AI components and services',
  'A.10.4': 'Meet commitments to customers',
} as const;

/** An Annex A control id. */
export type AnnexAControlId = keyof typeof ANNEX_A_CONTROLS;

/**
 * All Annex A control ids, in the standard's order.
 *
 * @example
 * ```ts
 * ANNEX_A_IDS.length;                      // 38
 * [ANNEX_A_IDS[0], ANNEX_A_IDS.at(-1)];    // ['A.2.2', 'A.10.4']
 * ```
 */
export const ANNEX_A_IDS = Object.keys(ANNEX_A_CONTROLS) as AnnexAControlId[];

/**
 * Whether `id` is an Annex A control id.
 *
 * @example
 * ```ts
 * isAnnexAControl('A.7.4'); // true
 * isAnnexAControl('6.1.2'); // false (a clause, not an Annex A control)
 * ```
 */
export function isAnnexAControl(id: unknown): id is AnnexAControlId {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(ANNEX_A_CONTROLS, id);
}
