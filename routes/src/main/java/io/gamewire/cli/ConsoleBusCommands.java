package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.SharedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The console's commands that put events on the bus or take them off it: {@code send},
 * {@code replay} and {@code dlq}. Anything bound for prod is sent only once the operator typed the
 * title's name. {@link Console} names them and says how they are written.
 *
 * @param ask asks the operator a question and returns the answer (null at end of input)
 */
record ConsoleBusCommands(ConsoleApi api, ConsoleOutput out, ConsoleOutput err, UnaryOperator<String> ask) {

    int send(String rest) throws AdminClient.AdminException {
        boolean prod = rest.endsWith(" --prod");
        String body = prod ? rest.substring(0, rest.length() - " --prod".length()).strip() : rest;
        int space = Console.firstSpace(body);
        if (space < 0) {
            throw new UsageException("send takes a routing key and a JSON payload");
        }
        String routingKey = body.substring(0, space);
        JsonNode payload;
        try {
            payload = SharedJson.MAPPER.readTree(body.substring(space + 1));
        } catch (IOException e) {
            throw new UsageException("the payload is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (prod && !confirmed(routingKey.split("\\.")[0])) {
            return Console.FAILED;
        }
        ObjectNode request = SharedJson.MAPPER.createObjectNode().put("routingKey", routingKey).put("prod", prod);
        request.set("payload", payload);
        JsonNode answer = api.post("v1/admin/send", request);
        out.line("sent " + answer.path("messageId").asText() + " to " + answer.path("routingKey").asText());
        return Console.OK;
    }

    int replay(String rest) throws AdminClient.AdminException {
        List<String> words = new ArrayList<>(Console.words(rest));
        boolean prod = words.remove("--prod");
        int to = words.indexOf("--to");
        if (words.size() != 3 || to != 1) {
            throw new UsageException("replay takes a message id and --to ENV");
        }
        String id = words.get(0);
        String env = words.get(2);
        if (prod) {
            String title = api.get("v1/admin/events/" + AdminPaths.segment(id)).path("routingKey").asText().split("\\.")[0];
            if (!confirmed(title)) {
                return Console.FAILED;
            }
        }
        ObjectNode request = SharedJson.MAPPER.createObjectNode().put("messageId", id).put("toEnv", env).put("prod", prod);
        JsonNode answer = api.post("v1/admin/replay", request);
        out.line("replayed " + id + " as " + answer.path("messageId").asText() + " to "
                + answer.path("routingKey").asText());
        return Console.OK;
    }

    /** Asks for the title's name before anything goes to prod. */
    private boolean confirmed(String title) {
        String answer = ask.apply("this goes to prod: type the title name (" + title + ") to confirm: ");
        if (answer != null && answer.strip().equals(title)) {
            return true;
        }
        err.line("not confirmed: nothing was sent");
        return false;
    }

    int dlq(String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() >= 2 && words.get(0).equals("list")) {
            if (words.size() != 2) {
                throw new UsageException("dlq list takes one queue");
            }
            JsonNode answer = api.get("v1/admin/dlq?queue=" + AdminPaths.query(words.get(1)));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode letter : answer.path("deadLetters")) {
                rows.add(List.of(letter.path("messageId").asText(), letter.path("routingKey").asText(),
                        ConsoleOutput.cell(letter.path("attempts")), ConsoleOutput.cell(letter.path("lastFailure")),
                        ConsoleOutput.cell(letter.path("reason"))));
            }
            out.table(List.of("MESSAGE ID", "ROUTING KEY", "ATTEMPTS", "LAST FAILURE", "REASON"), rows);
            return Console.OK;
        }
        if (words.size() >= 2 && words.get(0).equals("replay")) {
            ObjectNode request = SharedJson.MAPPER.createObjectNode().put("queue", words.get(1));
            ArrayNode ids = request.putArray("messageIds");
            words.subList(2, words.size()).forEach(ids::add);
            JsonNode answer = api.post("v1/admin/dlq/replay", request);
            out.line("replayed " + answer.path("replayed").asInt() + " from " + words.get(1) + ": "
                    + ConsoleOutput.list(answer.path("messageIds")));
            return Console.OK;
        }
        throw new UsageException("dlq takes list QUEUE or replay QUEUE [ID…]");
    }
}
