package dev.socketworks.inbound;

import dev.socketworks.json.Unicode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssemblersTest {

    @Test
    void textJoinsPartsUpToExactlyTheLimit() throws Exception {
        TextAssembler text = new TextAssembler(6);
        assertThat(text.append("abc", false)).isNull();
        assertThat(text.append("def", true)).isEqualTo("abcdef");
        assertThat(text.append("", true)).isEmpty();
    }

    @Test
    void textOneByteOverTheLimitIsRefused() throws Exception {
        TextAssembler text = new TextAssembler(6);
        text.append("abc", false);
        assertThatThrownBy(() -> text.append("defg", true)).isInstanceOf(MessageTooLargeException.class)
                .hasMessage("message exceeds 6 bytes");
    }

    @Test
    void textLimitCountsUtf8BytesNotChars() throws Exception {
        String euroAndEmoji = "\u20ac\uD83D\uDE00"; // 3 + 4 bytes, 3 chars
        assertThat(Unicode.utf8Length(euroAndEmoji))
                .isEqualTo(euroAndEmoji.getBytes(StandardCharsets.UTF_8).length);
        assertThat(new TextAssembler(7).append(euroAndEmoji, true)).isEqualTo(euroAndEmoji);
        assertThatThrownBy(() -> new TextAssembler(6).append(euroAndEmoji, true))
                .isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void surrogatePairSplitAcrossPartsCountsFourBytes() throws Exception {
        TextAssembler text = new TextAssembler(4);
        assertThat(text.append("\uD83D", false)).isNull();
        assertThat(text.append("\uDE00", true)).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void textKnowsTheUtf8SizeOfWhatItReturnedLast() throws Exception {
        TextAssembler text = new TextAssembler(100);
        text.append("\u20ac", false);
        assertThat(text.append("\uD83D\uDE00", true)).isEqualTo("\u20ac\uD83D\uDE00");
        assertThat(text.lastMessageBytes()).isEqualTo(7);
        assertThat(text.append("plain", true)).isEqualTo("plain");
        assertThat(text.lastMessageBytes()).isEqualTo(5);
        assertThat(text.append("", true)).isEmpty();
        assertThat(text.lastMessageBytes()).isZero();
    }

    @Test
    void binaryMessagesJoinedOneAfterAnotherNeverShareTheirBytes() throws Exception {
        BinaryAssembler binary = new BinaryAssembler(100);
        binary.append(ByteBuffer.wrap(new byte[]{1, 2, 3}), false);
        ByteBuffer first = binary.append(ByteBuffer.wrap(new byte[]{4, 5, 6}), true);
        binary.append(ByteBuffer.wrap(new byte[]{7}), false);
        ByteBuffer second = binary.append(ByteBuffer.wrap(new byte[]{8}), true);
        binary.append(ByteBuffer.wrap(new byte[]{9, 9, 9, 9}), false);
        ByteBuffer third = binary.append(ByteBuffer.wrap(new byte[]{9, 9, 9, 9}), true);
        assertThat(bytes(first)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(bytes(second)).containsExactly(7, 8);
        assertThat(third.remaining()).isEqualTo(8);
    }

    @Test
    void binaryJoinsPartsAndCopiesThem() throws Exception {
        BinaryAssembler binary = new BinaryAssembler(4);
        ByteBuffer reused = ByteBuffer.wrap(new byte[]{1, 2});
        assertThat(binary.append(reused, false)).isNull();
        reused.clear().put(new byte[]{3, 4}).flip();
        ByteBuffer message = binary.append(reused, true);
        reused.clear().put(new byte[]{9, 9});
        assertThat(bytes(message)).containsExactly(1, 2, 3, 4);
        assertThat(binary.append(ByteBuffer.allocate(0), true).remaining()).isZero();
    }

    @Test
    void binaryInOnePartOrWithSpareRoomIsStillExactlyTheMessage() throws Exception {
        BinaryAssembler binary = new BinaryAssembler(100);
        ByteBuffer reused = ByteBuffer.wrap(new byte[]{7, 8, 9});
        ByteBuffer single = binary.append(reused, true);
        reused.clear().put(new byte[]{0, 0, 0});
        assertThat(bytes(single)).containsExactly(7, 8, 9);

        binary.append(ByteBuffer.wrap(new byte[]{1, 2, 3}), false);
        binary.append(ByteBuffer.wrap(new byte[]{4}), false); // grows to 6 bytes of room
        ByteBuffer joined = binary.append(ByteBuffer.wrap(new byte[]{5}), true);
        assertThat(joined.position()).isZero();
        assertThat(bytes(joined)).containsExactly(1, 2, 3, 4, 5);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void binaryOneByteOverTheLimitIsRefused() {
        assertThatThrownBy(() -> new BinaryAssembler(4).append(ByteBuffer.allocate(5), true))
                .isInstanceOf(MessageTooLargeException.class);
    }
}
