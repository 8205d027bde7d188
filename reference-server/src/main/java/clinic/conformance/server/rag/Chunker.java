package clinic.conformance.server.rag;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits a document on paragraph bounds, then sentence bounds, into chunks of at most {@code maxChars}. */
public final class Chunker {
    private final int maxChars;

    public Chunker(int maxChars) {
        this.maxChars = maxChars;
    }

    public List<String> chunks(String text) {
        var chunks = new ArrayList<String>();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String clean = paragraph.strip().replaceAll("\\s+", " ");
            if (clean.isEmpty()) {
                continue;
            }
            if (clean.length() <= maxChars) {
                chunks.add(clean);
            } else {
                splitSentences(clean, chunks);
            }
        }
        return chunks;
    }

    private void splitSentences(String paragraph, List<String> chunks) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        sentences.setText(paragraph);
        var current = new StringBuilder();
        int start = sentences.first();
        for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            String sentence = paragraph.substring(start, end).strip();
            if (current.length() > 0 && current.length() + 1 + sentence.length() > maxChars) {
                chunks.add(current.toString());
                current.setLength(0);
            }
            while (sentence.length() > maxChars) {
                // a single sentence longer than a chunk: cut it on the last space that fits
                int cut = sentence.lastIndexOf(' ', maxChars);
                cut = cut <= 0 ? maxChars : cut;
                chunks.add(sentence.substring(0, cut).strip());
                sentence = sentence.substring(cut).strip();
            }
            if (!sentence.isEmpty()) {
                current.append(current.length() > 0 ? " " : "").append(sentence);
            }
        }
        if (current.length() > 0) {
            chunks.add(current.toString());
        }
    }
}
