package io.gamewire.ops.jolokia;

import static org.assertj.core.api.Assertions.assertThat;

import javax.management.ObjectName;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JolokiaPolicyTest {

    private final JolokiaPolicy policy = new JolokiaPolicy();

    @ParameterizedTest
    @EnumSource(value = RequestType.class, names = {"READ", "LIST", "SEARCH", "VERSION", "EXEC", "WRITE"})
    void whatHawtioUsesIsAllowed(RequestType type) {
        assertThat(policy.isTypeAllowed(type)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = RequestType.class, names = {"CONFIG", "NOTIFICATION"})
    void theRestIsRefused(RequestType type) {
        assertThat(policy.isTypeAllowed(type)).isFalse();
    }

    @Test
    void everyAttributeMayBeRead() throws Exception {
        assertThat(policy.isAttributeReadAllowed(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage")).isTrue();
        assertThat(policy.isAttributeReadAllowed(new ObjectName("org.apache.camel:context=gamewire,type=context,name=\"gamewire\""), "State")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "com.sun.management:type=DiagnosticCommand | jvmtiAgentLoad",
        "com.sun.management:type=DiagnosticCommand | compilerDirectivesAdd(java.lang.String[])",
        "com.sun.management:type=HotSpotDiagnostic | dumpHeap(java.lang.String,boolean)",
        "java.lang:type=Threading | dumpAllThreads",
        "java.lang:type=Memory | gc",
        "java.util.logging:type=Logging | setLoggerLevel",
        "JMImplementation:type=MBeanServerDelegate | anything",
        "org.apache.camel:* | stop",
        "org.apache.*:context=gamewire,type=context,name=\"gamewire\" | stop",
        "org.apache.camel:context=gamewire,type=context,name=\"gamewire\" | sendBody(java.lang.String,java.lang.Object)",
        "org.apache.camel:context=gamewire,type=context,name=\"gamewire\" | requestStringBody",
        "org.apache.camel:context=gamewire,type=context,name=\"gamewire\" | createEndpoint",
        "org.apache.camel:context=gamewire,type=tracer,name=BacklogDebugger | evaluateExpressionAtBreakpoint",
    })
    void execOutsideCamelAndCamelsOperationsThatReachAnyEndpointAreRefused(String mbean, String operation) throws Exception {
        assertThat(policy.isOperationAllowed(new ObjectName(mbean), operation)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "org.apache.camel:context=gamewire,type=routes,name=\"http-ingest-event\" | stop",
        "org.apache.camel:context=gamewire,type=context,name=\"gamewire\" | dumpRoutesAsXml()",
        "org.apache.camel:context=gamewire,type=context,name=\"gamewire\" | reset(boolean)",
    })
    void camelsOwnOperationsAreAllowed(String mbean, String operation) throws Exception {
        assertThat(policy.isOperationAllowed(new ObjectName(mbean), operation)).isTrue();
    }

    @Test
    void onlyCamelsAttributesMayBeWritten() throws Exception {
        assertThat(policy.isAttributeWriteAllowed(new ObjectName("org.apache.camel:context=gamewire,type=context,name=\"gamewire\""), "Tracing")).isTrue();
        assertThat(policy.isAttributeWriteAllowed(new ObjectName("java.lang:type=Memory"), "Verbose")).isFalse();
        assertThat(policy.isAttributeWriteAllowed(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "x")).isFalse();
    }
}
