package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The threads that write frames to members' sockets: one lane per core, each a single thread that writes its
 * members' frames in the order they were handed to it. A member always writes on the same lane, so its frames
 * leave in the order the room queued them; a broadcast to 5,000 members only queues 5,000 frames under the room's
 * lock, and the lanes write them side by side, instead of the thread holding the lock making every write itself.
 */
@ApplicationScoped
public class SendLanes {

    private final AtomicInteger next = new AtomicInteger();
    private List<ExecutorService> lanes;

    @Resource
    ManagedThreadFactory threads;

    @PostConstruct
    void start() {
        lanes = IntStream.range(0, Runtime.getRuntime().availableProcessors())
                .mapToObj(i -> Executors.newSingleThreadExecutor(threads)).toList();
    }

    /** The lane for a new member: each in turn, so that members spread evenly. */
    ExecutorService next() {
        return lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size()));
    }

    @PreDestroy
    void stop() {
        lanes.forEach(ExecutorService::shutdown);
    }
}
