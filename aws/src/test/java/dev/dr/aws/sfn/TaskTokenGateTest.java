package dev.dr.aws.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateEnteredEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskScheduledEventDetails;

/** Which task of a history is the open promotion gate. */
class TaskTokenGateTest {

    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAeQ0gateToken==";
    static final Instant T0 = Instant.parse("2026-11-29T10:15:00Z");

    /** A history built oldest first; {@link #newestFirst} is what GetExecutionHistory with reverseOrder gives. */
    static final class Events {
        final List<HistoryEvent> list = new ArrayList<>();

        long add(long previous, HistoryEventType type) {
            return add(HistoryEvent.builder().previousEventId(previous).type(type));
        }

        long add(HistoryEvent.Builder b) {
            long id = list.size() + 1;
            list.add(b.id(id).timestamp(T0.plusSeconds(id)).build());
            return id;
        }

        long entered(long previous, String state) {
            return add(HistoryEvent.builder().previousEventId(previous).type(HistoryEventType.TASK_STATE_ENTERED)
                    .stateEnteredEventDetails(StateEnteredEventDetails.builder().name(state).input("{}").build()));
        }

        long scheduled(long previous, String parameters) {
            return add(HistoryEvent.builder().previousEventId(previous).type(HistoryEventType.TASK_SCHEDULED)
                    .taskScheduledEventDetails(TaskScheduledEventDetails.builder().resourceType("sns")
                            .resource("publish.waitForTaskToken").region("us-east-1").parameters(parameters).build()));
        }

        List<HistoryEvent> newestFirst() {
            List<HistoryEvent> out = new ArrayList<>(list);
            Collections.reverse(out);
            return out;
        }
    }

    static String params(String token) {
        return "{\"TopicArn\":\"arn:aws:sns:us-east-1:048622080012:dr-approvals\",\"TaskToken\":\"" + token + "\"}";
    }

    @Test
    void anOpenTaskThatPassedATaskTokenIsTheGateWithItsStateName() {
        Events h = new Events();
        long start = h.add(0, HistoryEventType.EXECUTION_STARTED);
        long entered = h.entered(start, "ApprovePromotion");
        long scheduled = h.scheduled(entered, params(TOKEN));
        long started = h.add(scheduled, HistoryEventType.TASK_STARTED);
        h.add(started, HistoryEventType.TASK_SUBMITTED);

        Optional<TaskTokenGate.Waiting> w = TaskTokenGate.find(h.newestFirst());

        assertThat(w).isPresent();
        assertThat(w.get().token()).isEqualTo(TOKEN);
        assertThat(w.get().state()).contains("ApprovePromotion");
        assertThat(w.get().scheduledEventId()).isEqualTo(scheduled);
        assertThat(w.get().since()).isEqualTo(T0.plusSeconds(scheduled));
        assertThat(w.get().toString()).doesNotContain(TOKEN).contains("ApprovePromotion");
    }

    @Test
    void aGateThatSucceededFailedOrTimedOutIsClosed() {
        for (HistoryEventType closing : List.of(HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_FAILED,
                HistoryEventType.TASK_TIMED_OUT)) {
            Events h = new Events();
            long entered = h.entered(h.add(0, HistoryEventType.EXECUTION_STARTED), "ApprovePromotion");
            long scheduled = h.scheduled(entered, params(TOKEN));
            long started = h.add(scheduled, HistoryEventType.TASK_STARTED);
            long submitted = h.add(started, HistoryEventType.TASK_SUBMITTED);
            h.add(submitted, closing);
            assertThat(TaskTokenGate.find(h.newestFirst())).as(closing.toString()).isEmpty();
        }
    }

    @Test
    void aGateClosedWhileTheExecutionRunsOnIsNotWaitingAndTheNextTaskIsNoGate() {
        Events h = new Events();
        long entered = h.entered(h.add(0, HistoryEventType.EXECUTION_STARTED), "ApprovePromotion");
        long scheduled = h.scheduled(entered, params(TOKEN));
        long ok = h.add(h.add(scheduled, HistoryEventType.TASK_STARTED), HistoryEventType.TASK_SUCCEEDED);
        long exited = h.add(ok, HistoryEventType.TASK_STATE_EXITED);
        long promote = h.entered(exited, "Promote");
        long s2 = h.scheduled(promote, "{\"FunctionName\":\"promote\"}");
        h.add(s2, HistoryEventType.TASK_STARTED);

        assertThat(TaskTokenGate.find(h.newestFirst())).isEmpty();
    }

    @Test
    void inParallelBranchesTheOpenGateIsFoundBehindALaterClosedTask() {
        Events h = new Events();
        long par = h.add(h.add(0, HistoryEventType.EXECUTION_STARTED), HistoryEventType.PARALLEL_STATE_ENTERED);
        long gateEntered = h.entered(par, "ApprovePromotion");
        long otherEntered = h.entered(par, "Smoke");
        long gate = h.scheduled(gateEntered, params(TOKEN));
        long other = h.scheduled(otherEntered, params("another-callback"));
        h.add(gate, HistoryEventType.TASK_STARTED);
        long otherStarted = h.add(other, HistoryEventType.TASK_STARTED);
        h.add(otherStarted, HistoryEventType.TASK_SUCCEEDED);

        Optional<TaskTokenGate.Waiting> w = TaskTokenGate.find(h.newestFirst());

        assertThat(w).isPresent();
        assertThat(w.get().token()).isEqualTo(TOKEN);
        assertThat(w.get().state()).contains("ApprovePromotion");
    }

    @Test
    void anAbortedGateStateIsClosed() {
        Events h = new Events();
        long entered = h.entered(h.add(0, HistoryEventType.EXECUTION_STARTED), "ApprovePromotion");
        h.add(h.scheduled(entered, params(TOKEN)), HistoryEventType.TASK_STARTED);
        h.add(entered, HistoryEventType.TASK_STATE_ABORTED);

        assertThat(TaskTokenGate.find(h.newestFirst())).isEmpty();
    }

    @Test
    void aTaskWithoutATaskTokenIsNoGate() {
        Events h = new Events();
        long entered = h.entered(h.add(0, HistoryEventType.EXECUTION_STARTED), "Validate");
        h.add(h.scheduled(entered, "{\"FunctionName\":\"validate\",\"Token\":\"x\"}"), HistoryEventType.TASK_STARTED);

        assertThat(TaskTokenGate.find(h.newestFirst())).isEmpty();
        assertThat(TaskTokenGate.find(List.of())).isEmpty();
    }

    @Test
    void theTokenIsReadAtTheTopLevelFirstThenLevelByLevel() {
        assertThat(TaskTokenGate.token(params("top"))).contains("top");
        assertThat(TaskTokenGate.token("{\"FunctionName\":\"f\",\"Payload\":{\"run\":\"r1\",\"TaskToken\":\"nested\"}}"))
                .contains("nested");
        assertThat(TaskTokenGate.token("{\"Payload\":{\"Deep\":{\"TaskToken\":\"deep\"}},\"TaskToken\":\"top\"}")).contains("top");
        assertThat(TaskTokenGate.token("{\"A\":{\"B\":{\"TaskToken\":\"deep\"}},\"C\":{\"TaskToken\":\"shallow\"}}"))
                .contains("shallow");
        assertThat(TaskTokenGate.token("{\"TaskToken\":\"\"}")).isEmpty();
        assertThat(TaskTokenGate.token("{\"TaskToken\":42}")).isEmpty();
        assertThat(TaskTokenGate.token("not json")).isEmpty();
        assertThat(TaskTokenGate.token(null)).isEmpty();
    }

    @Test
    void withoutItsTaskStateEnteredTheGateHasNoStateName() {
        Events h = new Events();
        long failed = h.add(h.add(0, HistoryEventType.EXECUTION_STARTED), HistoryEventType.TASK_FAILED);
        h.add(h.scheduled(failed, params(TOKEN)), HistoryEventType.TASK_STARTED);

        Optional<TaskTokenGate.Waiting> w = TaskTokenGate.find(h.newestFirst());
        assertThat(w).isPresent();
        assertThat(w.get().state()).isEmpty();
    }
}
