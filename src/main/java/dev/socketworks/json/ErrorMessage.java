package dev.socketworks.json;

/**
 * The error every JSON service sends to the offending client only; the connection goes on.
 * <pre>{"type":"error","payload":{"code":"malformed-json","message":"..."}}</pre>
 */
public record ErrorMessage(String type, Payload payload) {

    public record Payload(String code, String message) {
    }

    public static String json(String code, String message) {
        return JsonMessages.toJson(new ErrorMessage("error", new Payload(code, message)));
    }
}
