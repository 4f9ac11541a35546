/**
 * The model catalog: providers, models, their endpoints and prices, loaded from config/models.yaml,
 * and the /models, /models/{author}/{slug}/endpoints and /providers views of it.
 */
package dev.caravan.catalog;
