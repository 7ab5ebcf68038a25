package io.gamewire.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A storage contract test: it runs once on each {@link Stack} of this build that it names (every
 * stack by default), with the stack in its display name. The test, and the {@code @BeforeEach}
 * methods of its class, take the stack's storage as parameters; {@link StorageStacks} lists what it
 * gives and how it cleans up. Name one stack for what only that stack's implementation has: a test
 * of {@link Stack#SERVICES} alone has no run in the default build.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(StorageStacks.class)
public @interface StackTest {

    /** The stacks this test runs on. */
    Stack[] value() default {Stack.EMBEDDED, Stack.SERVICES};
}
