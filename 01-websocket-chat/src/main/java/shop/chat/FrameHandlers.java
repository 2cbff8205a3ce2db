package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Passes a frame of a type the lesson does not parse to the {@link FrameHandler} bean that takes it,
 * or answers {@code unknown-type} when there is none.
 */
@ApplicationScoped
public class FrameHandlers {

    @Inject
    @Any
    Instance<FrameHandler> handlers;

    void handle(ClientFrame.Other other, Member from, Room room) {
        handlers.stream().filter(h -> h.type().equals(other.type())).findFirst().ifPresentOrElse(
                handler -> room.exclusively(() -> handler.handle(other.frame(), from, room)),
                () -> from.send(Frames.error("unknown-type", "Unknown frame type \"" + ClientFrame.abbreviate(other.type())
                        + "\"; the chat understands " + known() + ".")));
    }

    /** {@code "say"}, then every added type in alphabetical order, for the {@code unknown-type} answer. */
    private String known() {
        return Stream.concat(Stream.of("say"), handlers.stream().map(FrameHandler::type).sorted())
                .map(type -> "\"" + type + "\"").collect(Collectors.joining(", "));
    }
}
