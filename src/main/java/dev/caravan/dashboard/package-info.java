/**
 * The web dashboard at {@code /}: static pages under src/main/resources/static that read the
 * public API (rankings, models, endpoints) and, with a key kept in the tab's sessionStorage, that
 * key's usage; this package holds the little server side it needs.
 */
package dev.caravan.dashboard;
