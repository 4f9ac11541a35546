/**
 * What Caravan measures about itself: the Prometheus meters of /actuator/prometheus, and the time
 * each request spent in Caravan rather than waiting on an upstream (the X-Caravan-Overhead-Ms header).
 */
package dev.caravan.metrics;
