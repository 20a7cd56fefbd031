/** The metric catalogue (cards as data), its code registry, and the Annex A control ids cards may cite. */
export * from './annex-a-ids.js';
export * from './catalogue.js';
