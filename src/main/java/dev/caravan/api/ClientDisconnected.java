package dev.caravan.api;

/** The client went away while Caravan was still waiting for an answer: nothing more to try or to say. */
public class ClientDisconnected extends ApiException {

    public ClientDisconnected() {
        super(499, "client_disconnected", "The client closed the connection");
    }
}
