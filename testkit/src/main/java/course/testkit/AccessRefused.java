package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/** What the broker answers a user who does what its permissions forbid: it closes the channel with ACCESS_REFUSED. */
public final class AccessRefused {

    /** Something done on a channel that the broker may refuse. */
    public interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    private AccessRefused() {
    }

    /** Runs {@code action} on a fresh channel and returns the broker's sentence for closing it, which must be a 403. */
    public static String refusal(Connection connection, ChannelAction action) throws Exception {
        Channel channel = connection.createChannel();
        Throwable thrown = catchThrowable(() -> action.run(channel));
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof ShutdownSignalException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the broker closed the channel, after %s", String.valueOf(thrown)).isNotNull();
        AMQP.Channel.Close close = (AMQP.Channel.Close) ((ShutdownSignalException) cause).getReason();
        assertThat(close.getReplyCode()).isEqualTo(AMQP.ACCESS_REFUSED);
        return close.getReplyText();
    }
}
