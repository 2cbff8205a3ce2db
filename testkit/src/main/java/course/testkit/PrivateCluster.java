package course.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Three {@link PrivateBroker} nodes joined into one RabbitMQ cluster, for the lessons where a broker machine dies: a
 * test starts it, kills a node ({@link #kill(PrivateBroker)}, SIGKILL) and closes it, while the shared broker on 5672
 * stays up. Clients get every node in {@link #addresses()}. {@link #close()} stops the nodes left and deletes their
 * folders, also after a failed test.
 */
public final class PrivateCluster implements AutoCloseable {

    /** The nodes' AMQP ports are looked for here, each with its Erlang distribution port (+20000) free too. */
    private static final int PORTS_FROM = 5700;
    private static final int PORTS_TO = 6000;
    /** Every port handed out in this JVM: two clusters of one run never share one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final String name;
    /** The nodes started or added, in that order: {@link #close()} stops each, also one added by {@link #add()}. */
    private final List<PrivateBroker> nodes;
    private final List<String> configLines;

    private PrivateCluster(String name, List<PrivateBroker> nodes, List<String> configLines) {
        this.name = name;
        this.nodes = new CopyOnWriteArrayList<>(nodes);
        this.configLines = List.copyOf(configLines);
    }

    /**
     * Starts three nodes named {@code <name>-1@localhost} … {@code <name>-3@localhost} at the same time, joins the
     * second and third to the first, both at once, and returns once all three run as one cluster. Without a local
     * RabbitMQ installation, the calling test is skipped with one sentence saying what it needs
     * ({@link PrivateBroker#NEEDS}).
     */
    public static PrivateCluster start(String name) {
        return start(name, freePorts());
    }

    /**
     * As {@link #start(String)}, on AMQP ports chosen before ({@link #freePorts()}): a test can boot the clients,
     * pointed at {@link #addresses(List)}, while the nodes start.
     */
    public static PrivateCluster start(String name, List<Integer> ports) {
        return start(name, ports, List.of());
    }

    /**
     * As {@link #start(String, List)}, with more rabbitmq.conf lines on every node, for example
     * {@code cluster_partition_handling = pause_minority}.
     */
    public static PrivateCluster start(String name, List<Integer> ports, List<String> configLines) {
        PrivateBroker.requireScripts(PrivateBroker.scripts());
        List<CompletableFuture<PrivateBroker>> starting = new ArrayList<>();
        for (int i = 1; i <= ports.size(); i++) {
            String node = name + "-" + i;
            int port = ports.get(i - 1);
            // Each on a thread of its own: a node boots in 5-10 s, most of it waiting, so three take little longer than one.
            starting.add(CompletableFuture.supplyAsync(() -> PrivateBroker.start(node, port, configLines), runnable -> {
                Thread thread = new Thread(runnable, node + "-start");
                thread.setDaemon(true);
                thread.start();
            }));
        }
        List<PrivateBroker> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<PrivateBroker> node : starting) {
            try {
                started.add(node.join());
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        PrivateCluster cluster = new PrivateCluster(name, started, configLines);
        if (failure != null) {
            cluster.close(); // the nodes that did start go too; one that failed has closed itself
            throw failure;
        }
        try {
            PrivateBroker first = started.get(0);
            // All at once, each on a thread of its own: each join is three rabbitmqctl VMs and an application restart,
            // and two side by side took 22-61 s where one after the other took 55 s (3.10.8, load 20-27 on 2 cores;
            // 3 of 3 tries of two concurrent joins to one node formed the cluster). A join that fails beside another
            // is tried once more alone, as the nodes once joined: one after the other, and says so. It starts over
            // first: once, a node whose start_app had failed beside another failed again alone, on its half-joined
            // Mnesia ({badmatch, {error, {normal, {mnesia_app, start, ...}}}}, 3.10.8, a clean-clone CI run). A reset
            // alone is not enough once the first node lists it (inconsistent_cluster): the first node forgets it too.
            Map<PrivateBroker, RuntimeException> failed = inParallel(started.subList(1, started.size()), "-join",
                    node -> join(node, first));
            failed.forEach((node, why) -> {
                System.err.println("PrivateCluster: " + node.nodeName() + " did not join beside another node ("
                        + why.getMessage().lines().findFirst().orElse("") + "); resetting it and joining it alone");
                node.rabbitmqctl("stop_app");
                node.rabbitmqctl("force_reset"); // a fresh node: nothing of it to keep
                try {
                    first.rabbitmqctl("forget_cluster_node", node.nodeName());
                } catch (RuntimeException notListed) {
                    // the join had not reached the first node: nothing to forget
                }
                join(node, first);
            });
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Runs {@code action} for each node on a thread of its own, and returns the nodes it failed for, with why. */
    private static Map<PrivateBroker, RuntimeException> inParallel(List<PrivateBroker> nodes, String what,
            Consumer<PrivateBroker> action) {
        List<CompletableFuture<Void>> running = nodes.stream()
                .map(node -> CompletableFuture.runAsync(() -> action.accept(node), runnable -> {
                    Thread thread = new Thread(runnable, node.nodeName() + what);
                    thread.setDaemon(true);
                    thread.start();
                }))
                .toList();
        Map<PrivateBroker, RuntimeException> failed = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            try {
                running.get(i).join();
            } catch (CompletionException e) {
                failed.put(nodes.get(i), e.getCause() instanceof RuntimeException cause ? cause : e);
            }
        }
        return failed;
    }

    private static void join(PrivateBroker node, PrivateBroker member) {
        node.rabbitmqctl("stop_app");
        node.rabbitmqctl("join_cluster", member.nodeName());
        // returns once the node runs again (rabbit:start/0 waits until it is ready or stopped): no await_startup
        // after it, which would be one more rabbitmqctl VM (about 1 s of CPU) for nothing
        node.rabbitmqctl("start_app");
    }

    /**
     * Starts a fresh node, {@code <name>-<n>@localhost} on a free port with the cluster's settings, and joins it to a
     * live node: what an operator does to replace a machine lost for good. The new node holds no replica until a
     * queue grows onto it ({@code rabbitmq-queues grow}).
     */
    public PrivateBroker add() {
        PrivateBroker node = PrivateBroker.start(name + "-" + (nodes.size() + 1), freePort(), configLines);
        nodes.add(node); // before joining: close() stops it even if the join fails
        join(node, live());
        return node;
    }

    /**
     * Removes a dead node from the cluster for good ({@code rabbitmqctl forget_cluster_node}, asked of a live node):
     * the others stop waiting for it, and the quorum queues drop its replica.
     */
    public void forget(PrivateBroker dead) {
        live().rabbitmqctl("forget_cluster_node", dead.nodeName());
    }

    /** Every node's AMQP address, {@code localhost:p1,localhost:p2,localhost:p3}: the clients' rabbitmq.addresses. */
    public String addresses() {
        return addresses(nodes.stream().map(PrivateBroker::port).toList());
    }

    /** The addresses of nodes on these AMQP ports, as {@link #addresses()} gives them once they run. */
    public static String addresses(List<Integer> ports) {
        return ports.stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
    }

    /** Three free AMQP ports for {@link #start(String, List)}, each with its Erlang distribution port free too. */
    public static List<Integer> freePorts() {
        return List.of(freePort(), freePort(), freePort());
    }

    /** The nodes, in the order they were started or added; the first is the one the others joined at start. */
    public List<PrivateBroker> nodes() {
        return nodes;
    }

    /** A node that was not killed nor frozen, to ask the cluster something with rabbitmqctl. */
    public PrivateBroker live() {
        return nodes.stream().filter(node -> !node.isKilled() && !node.isFrozen()).findFirst()
                .orElseThrow(() -> new IllegalStateException("Every node of the cluster was killed."));
    }

    /**
     * The node that leads a quorum queue or a stream now, as a live node sees it ({@code rabbitmqctl list_queues -p vhost name
     * leader pid}); for a classic queue, which has no leader, the node its process runs on.
     */
    public PrivateBroker leaderOf(String vhost, String queue) {
        Map<String, String> leaders = leaderNames(vhost);
        if (!leaders.containsKey(queue)) {
            throw new IllegalStateException("No queue " + queue + " with a leader in vhost " + vhost + ": " + leaders);
        }
        return node(queue, leaders.get(queue));
    }

    /**
     * The leader of every queue in a vhost, by queue name, as {@link #leaderOf(String, String)} finds one, from one
     * {@code rabbitmqctl list_queues}: that is an Erlang VM of its own (about 1 s of CPU), however many queues it lists.
     */
    public Map<String, PrivateBroker> leaders(String vhost) {
        Map<String, PrivateBroker> leaders = new LinkedHashMap<>();
        leaderNames(vhost).forEach((queue, node) -> leaders.put(queue, node(queue, node)));
        return leaders;
    }

    /** Each queue's leader (or, for a classic queue, the node its process runs on) as the Erlang node name. */
    private Map<String, String> leaderNames(String vhost) {
        String listing = live().rabbitmqctl("list_queues", "-p", vhost, "name", "leader", "pid", "--quiet", "--no-table-headers");
        Map<String, String> leaders = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            String[] columns = line.split("\t", -1); // -1: a stream lists its leader and no pid, the last column empty
            if (columns.length == 3) {
                // a pid prints as <node.1.2.3>: the node is all before its three numbers
                leaders.put(columns[0], !columns[1].isBlank() ? columns[1].strip()
                        : columns[2].strip().replaceAll("^<(.*)\\.\\d+\\.\\d+\\.\\d+>$", "$1"));
            }
        }
        return leaders;
    }

    private PrivateBroker node(String queue, String name) {
        return nodes.stream().filter(n -> n.nodeName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("The queue " + queue + " is led by " + name
                        + ", which is not a node of this cluster."));
    }

    /** Kills a node's Erlang VM with SIGKILL (see {@link PrivateBroker#kill()}); the other two carry on as the cluster. */
    public void kill(PrivateBroker node) {
        node.kill();
    }

    /** Stops every node left, all at once, and deletes their folders; a killed node is only deleted. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = nodes.stream()
                .map(node -> CompletableFuture.runAsync(node::close, runnable -> {
                    Thread thread = new Thread(runnable, node.nodeName() + "-stop");
                    thread.setDaemon(true);
                    thread.start();
                }))
                .toList();
        RuntimeException failure = null;
        for (CompletableFuture<Void> node : stopping) {
            try {
                node.join();
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A port from 5700 up, free now, whose Erlang distribution port (port + 20000) is free too, and handed out to no
     * other caller in this JVM: for a {@link PrivateBroker} started beside a cluster.
     */
    public static int freePort() {
        int span = PORTS_TO - PORTS_FROM;
        int offset = ThreadLocalRandom.current().nextInt(span); // two runs at once rarely try the same ports first
        for (int i = 0; i < span; i++) {
            int port = PORTS_FROM + (offset + i) % span;
            if (free(port) && free(port + 20000) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port pair between " + PORTS_FROM + " and " + PORTS_TO
                + " (each with port + 20000 free for Erlang distribution).");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
