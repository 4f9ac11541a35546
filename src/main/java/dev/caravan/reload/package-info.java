/**
 * Hot reload: an edited file under routes/ or the catalog takes effect without a restart, and a
 * file that fails to load is rejected with its file, line and problem while the previous version
 * keeps serving.
 */
package dev.caravan.reload;
