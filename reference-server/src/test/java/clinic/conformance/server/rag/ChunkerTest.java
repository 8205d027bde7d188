package clinic.conformance.server.rag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkerTest {
    private final Chunker chunker = new Chunker(80);

    @Test
    void paragraphsThatFitStayWhole() {
        assertThat(chunker.chunks("Open at nine.\n\nParking   behind\nthe building.\n\n \n"))
                .containsExactly("Open at nine.", "Parking behind the building.");
    }

    @Test
    void longParagraphsSplitOnSentenceBoundsWithinTheLimit() {
        String paragraph = "We open at nine on Saturdays. The front desk closes at one. "
                + "Weekday hours run from eight to six. Call ahead on public holidays.";
        var chunks = chunker.chunks(paragraph);
        assertThat(chunks).hasSizeGreaterThan(1).allSatisfy(chunk -> assertThat(chunk.length()).isLessThanOrEqualTo(80));
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk).endsWith("."));
        assertThat(String.join(" ", chunks)).isEqualTo(paragraph);
    }

    @Test
    void aSentenceLongerThanAChunkIsCutOnSpaces() {
        String sentence = "word ".repeat(60).trim() + ".";
        var chunks = chunker.chunks(sentence);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.length()).isLessThanOrEqualTo(80));
        assertThat(String.join(" ", chunks)).isEqualTo(sentence);
    }

    @Test
    void paddingKeepsTheVectorAndAddsZeros() {
        float[] padded = Embeddings.padded(new float[] {0.5f, -0.25f});
        assertThat(padded).hasSize(1536);
        assertThat(padded[0]).isEqualTo(0.5f);
        assertThat(padded[1]).isEqualTo(-0.25f);
        assertThat(padded[1535]).isZero();
        assertThat(Embeddings.literal(new float[] {1f, 2.5f})).isEqualTo("[1.0,2.5]");
    }
}
