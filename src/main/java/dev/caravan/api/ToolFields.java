package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The shapes of OpenAI's function tools, as every translator reads them: the tools offered, the
 * tool_choice, and the tool_calls of earlier assistant turns. Unchecked, a tool without a name or
 * a call whose arguments are not a string reached a provider (or the simulator) as a tool named ""
 * called with whatever was sent.
 */
final class ToolFields {

    private static final List<String> CHOICES = List.of("none", "auto", "required");
    private static final List<String> FUNCTION = List.of("function");
    private static final String TOOL = "an object {\"type\": \"function\", \"function\": {\"name\": ...}}";
    private static final String CALL = "an object {\"id\", \"type\": \"function\", "
            + "\"function\": {\"name\", \"arguments\"}}";

    private ToolFields() {
    }

    /** {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} of a request. */
    static void check(Fields request) {
        for (Fields tool : request.optObjects("tools", TOOL)) {
            tool.requiredOneOf("type", FUNCTION);
            Fields function = tool.requiredFields("function", "an object with a 'name'");
            function.requiredName("name");
            function.optString("description");
            function.optObject("parameters");
            function.optBoolean("strict");
        }
        JsonNode choice = request.value("tool_choice");
        if (choice != null && !choice.isObject() && !(choice.isTextual() && CHOICES.contains(choice.asText()))) {
            throw ApiException.invalidRequest("'tool_choice' must be one of none, auto, required, or "
                    + "{\"type\": \"function\", \"function\": {\"name\": ...}}", "tool_choice");
        }
        if (choice != null && choice.isObject()) {
            Fields named = request.requiredFields("tool_choice", "an object");
            named.requiredOneOf("type", FUNCTION);
            named.requiredFields("function", "an object with a 'name'").requiredName("name");
        }
        request.optBoolean("parallel_tool_calls");
    }

    /** The {@code tool_calls} of a message, as an assistant made them: an array of function calls, or null. */
    static void checkCalls(Fields message) {
        for (Fields call : message.optObjects("tool_calls", CALL)) {
            call.requiredString("id");
            call.requiredOneOf("type", FUNCTION);
            Fields function = call.requiredFields("function", "an object with 'name' and 'arguments'");
            function.requiredName("name");
            function.requiredString("arguments");
        }
    }
}
