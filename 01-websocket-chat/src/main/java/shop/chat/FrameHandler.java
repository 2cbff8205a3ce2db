package shop.chat;

import jakarta.json.JsonObject;

/**
 * A client frame type beyond {@code say}, added to the chat from outside the lesson as a CDI bean:
 * {@link FrameHandlers} passes it every frame whose {@code "type"} it names.
 */
public interface FrameHandler {

    /** The value of the frame's {@code "type"} field that this handler takes. */
    String type();

    /**
     * Validates and acts on one frame from {@code from}, under the room's lock (see {@link Room#exclusively}),
     * so what it sends is ordered with everything else the room sends. Bad input gets an {@code error} event.
     */
    void handle(JsonObject frame, Member from, Room room);
}
