package io.gamewire.titles.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import java.util.Map;

/** Example payloads made from a command's schema, for curl and hex examples. */
final class SamplePayloads {

    private SamplePayloads() {
    }

    static ObjectNode of(ObjectMapper json, CommandDefinition command) {
        ObjectNode payload = json.createObjectNode();
        if (command.schema() == null) {
            return payload;
        }
        for (Map.Entry<String, FieldType> field : command.schema().fields().entrySet()) {
            String name = field.getKey();
            switch (field.getValue()) {
                case STRING -> payload.put(name, name + "-1");
                case INTEGER -> payload.put(name, 42);
                case NUMBER -> payload.put(name, 0.5);
                case BOOLEAN -> payload.put(name, true);
                case OBJECT -> payload.putObject(name);
                case ARRAY -> payload.putArray(name);
            }
        }
        return payload;
    }
}
