package io.gamewire.ops.jolokia;

import java.util.Locale;
import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * What Jolokia may do in gamewire. {@code read}, {@code list}, {@code search} and {@code version} on
 * every MBean: that is what Hawtio shows. {@code exec} and {@code write} only on Camel's own MBeans
 * (domain {@value #CAMEL_DOMAIN}: start and stop a route, reset statistics, dump routes), and of
 * those not the operations that take an endpoint URI or an expression from the call
 * ({@link #CAMEL_OPERATIONS_REFUSED}), which would reach any component on the classpath. Everything
 * else is refused: an {@code exec} on {@code com.sun.management:type=DiagnosticCommand} runs JVM
 * commands (loading an agent, writing files), {@code HotSpotDiagnostic.dumpHeap} writes the heap,
 * secrets included, to any path, and {@code java.lang} and {@code JMImplementation} can change
 * logging, threads or the MBean server itself. {@code config} and {@code notification} are refused
 * too: Hawtio does not need them.
 *
 * <p>Why a restrictor and not Jolokia's XML policy file: the policy is code reviewed with the rest,
 * cannot be missing from the class path, and is tested ({@code JolokiaPolicyTest}).
 */
public final class JolokiaPolicy implements Restrictor {

    /** Camel's JMX domain, the only one where {@code exec} and {@code write} are allowed. */
    static final String CAMEL_DOMAIN = "org.apache.camel";

    private static final Set<RequestType> TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC, RequestType.WRITE);

    /**
     * Camel operations refused although on a Camel MBean: sending to, or making, an endpoint named
     * in the call (a {@code file:} or {@code exec:} URI would write files or run programs), and
     * the backlog debugger's expressions (a language given in the call, run in gamewire).
     */
    static final Set<String> CAMEL_OPERATIONS_REFUSED = Set.of("sendbody", "sendbodyandheaders", "sendstringbody",
            "requestbody", "requestbodyandheaders", "requeststringbody", "createendpoint",
            "evaluateexpressionatbreakpoint", "addconditionalbreakpoint", "validateconditionalbreakpoint");

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return true;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return true;
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return isCamel(name);
    }

    /** @param operation its name, with or without Jolokia's signature ({@code dumpHeap(java.lang.String,boolean)}) */
    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        int signature = operation.indexOf('(');
        String bare = (signature < 0 ? operation : operation.substring(0, signature)).trim().toLowerCase(Locale.ROOT);
        return isCamel(name) && !CAMEL_OPERATIONS_REFUSED.contains(bare);
    }

    /** Who may connect is decided before Jolokia: the admin token ({@code adminTokenAuthorization}). */
    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true;
    }

    /** No CORS: gamewire answers no preflight, and the token never travels in a cookie here. */
    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return true;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return false;
    }

    /** One MBean of Camel's: never a pattern ({@code org.apache.camel:*}), which could stand for others too. */
    private static boolean isCamel(ObjectName name) {
        return name != null && !name.isPattern() && CAMEL_DOMAIN.equals(name.getDomain());
    }
}
