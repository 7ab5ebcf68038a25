package io.gamewire.capacity.sim;

/**
 * How a simulated service's consumer count moves: asked once a simulated second, it answers the
 * consumers to run from the next second on.
 */
interface ServiceScaler {

    /**
     * @param second   seconds since the start of the simulation
     * @param arrived  messages that arrived during this second
     * @param backlog  messages waiting in the queue at its end
     * @param running  consumers running during this second
     */
    int consumers(long second, double arrived, double backlog, int running);

    /** The name the results and the plot use. */
    String name();
}
