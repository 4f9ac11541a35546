package dev.caravan.catalog;

/** A catalog that cannot be served; the message names the file, the line and the field. */
public class CatalogException extends RuntimeException {

    public CatalogException(String message) {
        super(message);
    }
}
