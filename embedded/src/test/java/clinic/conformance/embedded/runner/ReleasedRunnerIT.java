package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.runner.certify.Catalogue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gate a team adopts in one step: the released zip alone certifies a running target (no Maven, no checkout), and
 * the GitHub action's certify step — run here with a GitHub-like environment — writes the job summary, one annotation
 * per failed scenario and its outputs, all agreeing with the certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The released runner and the CI action")
class ReleasedRunnerIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private Path zip;
    private Path unpacked;

    @BeforeAll
    void findTheZip() throws Exception {
        try (var files = Files.list(ROOT.resolve("scenarios/target"))) {
            zip = files.filter(f -> f.getFileName().toString().matches("conformance-.*\\.zip")).findFirst().orElseThrow(
                    () -> new AssertionError("mvn package builds scenarios/target/conformance-<version>.zip"));
        }
        unpacked = Files.createTempDirectory("released-runner");
        run(unpacked, Map.of(), "unzip", "-q", zip.toString(), "-d", unpacked.toString());
    }

    @Test
    void theZipCarriesTheRunnerItsLauncherTheContractAndAnSbomAndMatchesItsSha256() throws Exception {
        String version = zip.getFileName().toString().replaceAll("^conformance-|\\.zip$", "");
        var names = new ArrayList<String>();
        try (var archive = new ZipFile(zip.toFile())) {
            archive.stream().forEach(entry -> names.add(entry.getName()));
        }
        String base = "conformance-" + version + "/";
        assertThat(names).contains(base + "conformance.jar", base + "bin/conformance", base + "bin/conformance.cmd",
                base + "docs/contract.md", base + "docs/requirements-for-targets.md", base + "conformance-" + version + ".cdx.json");
        assertThat(names).anyMatch(n -> n.startsWith(base + "lib/") && n.endsWith(".jar"))
                .anyMatch(n -> n.matches(Pattern.quote(base) + "allure/[^/]+/bin/allure"))
                .noneMatch(n -> n.contains("reference-server") || n.contains("embedded-target") || n.contains("testcontainers"));
        String sha = Files.readString(zip.resolveSibling(zip.getFileName() + ".sha256")).trim();
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip)));
        assertThat(sha).isEqualTo(actual + "  " + zip.getFileName());
        JsonNode sbom = new ObjectMapper().readTree(zip.resolveSibling("conformance-" + version + ".cdx.json").toFile());
        assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(sbom.path("components").findValuesAsText("name")).contains("rest-assured", "junit-jupiter-engine");
        var printed = run(unpacked, Map.of(), launcher().toString(), "--version");
        assertThat(printed.output()).as("conformance --version").startsWith("conformance " + version + " (commit ")
                .contains("contract " + Catalogue.CONTRACT_VERSION);
    }

    @Test
    void theUnpackedZipAloneCertifiesARunningTarget() throws Exception {
        try (var target = EmbeddedTarget.builder().start()) {
            Path reports = Files.createTempDirectory("released-reports");
            var env = keysOf(target);
            env.put("CONFORMANCE_DB_URL", target.target().database().jdbcUrl());

            var certified = run(Files.createTempDirectory("no-checkout"), env, launcher().toString(), "certify",
                    "--target-url", target.target().url().toString(), "--mock-url", target.target().mockUrl().orElseThrow()
                            .toString(), "--only", "S1,S2.1", "--reports", reports.toString());

            assertThat(certified.exitCode()).as("the released runner's exit; output:%n%s", certified.output()).isZero();
            assertThat(reports.resolve("summary.md")).content().startsWith("## Conformance: ✅ gate passed");
            assertThat(reports.resolve("allure-report/index.html")).as("the report, generated by the zip's Allure").isNotEmptyFile();
        }
    }

    @Test
    void theActionsCertifyStepWritesTheJobSummaryAnnotationsAndOutputsThatAgreeWithTheCertificate() throws Exception {
        try (var target = EmbeddedTarget.builder().withParts(p -> p.withClinicAccess((claims, clinic) -> true)).start()) {
            Path workspace = Files.createTempDirectory("github-workspace");
            Path stepSummary = workspace.resolve("step-summary.md");
            Path outputs = workspace.resolve("outputs.txt");
            var env = keysOf(target);
            env.put("GITHUB_STEP_SUMMARY", stepSummary.toString());
            env.put("GITHUB_OUTPUT", outputs.toString());
            env.put("RUNNER_TEMP", Files.createTempDirectory("runner-temp").toString());
            env.put("INPUT_ZIP", zip.toString());
            env.put("INPUT_TARGET_URL", target.target().url().toString());
            env.put("INPUT_DB_URL", target.target().database().jdbcUrl());
            env.put("INPUT_MOCK_URL", target.target().mockUrl().orElseThrow().toString());
            env.put("INPUT_PROFILE", "seed");
            env.put("INPUT_EXTENDED", "false");
            env.put("INPUT_ONLY", "S2.1,S2.4");
            env.put("INPUT_REPORTS", "conformance-reports");

            var step = run(workspace, env, ROOT.resolve(".github/scripts/certify.sh").toString());

            assertThat(step.exitCode()).as("the step leaves the verdict to the action's last step; output:%n%s", step.output())
                    .isZero();
            assertThat(step.output().lines().filter(l -> l.startsWith("::error ")))
                    .as("annotations").singleElement().asString().startsWith("::error title=S2.4::");
            assertThat(Files.readAllLines(outputs)).contains("exit-code=1", "verdict=failed", "reports=conformance-reports");
            Path reports = workspace.resolve("conformance-reports");
            String summary = Files.readString(stepSummary);
            assertThat(summary).as("the job summary is summary.md").isEqualTo(Files.readString(reports.resolve("summary.md")))
                    .contains("❌ gate failed").contains("**S2.4**").contains("conformance certify --only S2.4")
                    .contains("curl ").doesNotContain(target.target().auth().serviceKey().orElseThrow());
            JsonNode certificate = new ObjectMapper().readTree(reports.resolve("certificate.json").toFile());
            assertThat(summary).as("the certificate's count").contains("**" + certificate.path("certified").asText()
                    + " certified scenarios passed**");
            JsonNode json = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
            assertThat(summary).contains(json.path("passed").asInt() + " passed, " + json.path("failed").asInt() + " failed");
            lookAt(summary);
        }
    }

    @Test
    void theActionAndTheWorkflowsAreWellFormed() throws Exception {
        JsonNode action = YAML.readTree(ROOT.resolve("action.yml").toFile());
        assertThat(action.path("name").asText()).isNotBlank();
        assertThat(action.path("description").asText()).isNotBlank();
        assertThat(action.path("runs").path("using").asText()).isEqualTo("composite");
        var inputs = new ArrayList<String>();
        action.path("inputs").fieldNames().forEachRemaining(inputs::add);
        var stepIds = new ArrayList<String>();
        for (JsonNode step : action.path("runs").path("steps")) {
            assertThat(step.has("uses") ^ step.has("run")).as("a step uses an action or runs a command: %s", step).isTrue();
            if (step.has("run")) {
                assertThat(step.path("shell").asText()).as("a composite step's shell: %s", step).isEqualTo("bash");
            }
            if (step.has("id")) {
                stepIds.add(step.get("id").asText());
            }
        }
        String text = Files.readString(ROOT.resolve("action.yml"));
        var referenced = Pattern.compile("inputs\\.([a-z-]+)").matcher(text);
        while (referenced.find()) {
            assertThat(inputs).as("input %s is declared", referenced.group(1)).contains(referenced.group(1));
        }
        var steps = Pattern.compile("steps\\.([a-z-]+)\\.outputs").matcher(text);
        while (steps.find()) {
            assertThat(stepIds).as("step %s exists", steps.group(1)).contains(steps.group(1));
        }
        String script = Files.readString(ROOT.resolve(".github/scripts/certify.sh"));
        for (String input : inputs) {
            assertThat(script).as("certify.sh reads the input %s", input)
                    .contains("INPUT_" + input.toUpperCase().replace('-', '_'));
        }
        assertThat(run(ROOT, Map.of(), "bash", "-n", ROOT.resolve(".github/scripts/certify.sh").toString()).exitCode())
                .as("certify.sh parses").isZero();
        for (Path workflow : List.of(ROOT.resolve(".github/workflows/release.yml"), ROOT.resolve("docs/ci/github-actions.yml"))) {
            JsonNode yaml = YAML.readTree(workflow.toFile());
            assertThat(yaml.has("on") || yaml.has("true")).as("%s has triggers", workflow).isTrue();
            yaml.path("jobs").forEach(job -> {
                assertThat(job.path("runs-on").asText()).as("%s: runs-on", workflow).isNotBlank();
                job.path("steps").forEach(step -> assertThat(step.has("uses") || step.has("run"))
                        .as("%s: a step does something", workflow).isTrue());
            });
        }
        JsonNode gitlab = YAML.readTree(ROOT.resolve("docs/ci/gitlab-ci.yml").toFile());
        assertThat(gitlab.path("conformance").path("script").isArray()).isTrue();
        assertThat(gitlab.path("conformance").path("artifacts").path("reports").path("junit").asText()).endsWith(".xml");
    }

    /** The job summary as GitHub shows it: Markdown rendered to HTML, then a screenshot in headless Chromium. */
    private void lookAt(String summary) throws Exception {
        var extensions = List.of(TablesExtension.create());
        String html = "<!doctype html><meta charset=utf-8><body style=\"font-family:sans-serif;max-width:60rem;margin:2rem\">"
                + HtmlRenderer.builder().extensions(extensions).build()
                        .render(Parser.builder().extensions(extensions).build().parse(summary));
        assertThat(html).contains("<table>").contains("<h2>").contains("<code class=\"language-bash\">");
        Path page = Files.createTempFile("summary", ".html");
        Files.writeString(page, html);
        Path png = ROOT.resolve("reports").resolve("summary-md.png");
        Files.createDirectories(png.getParent());
        Chromium.screenshot(page, png, 1100, 1400);
        BufferedImage image = ImageIO.read(png.toFile());
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                inked += (image.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
            }
        }
        assertThat(inked).as("pixels of text and tables in the rendered summary").isGreaterThan(1_000);
    }

    private Path launcher() {
        try (var dirs = Files.list(unpacked)) {
            return dirs.findFirst().orElseThrow().resolve("bin/conformance");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> keysOf(EmbeddedTarget target) {
        var env = new HashMap<String, String>();
        target.target().auth().serviceKey().ifPresent(key -> env.put("CONFORMANCE_SERVICE_KEY", key));
        target.target().auth().signingKey().ifPresent(key -> env.put("CONFORMANCE_JWT_SIGNING_KEY", key));
        return env;
    }

    /** A process with only PATH, JAVA_HOME and {@code env}: nothing of this build or its checkout leaks in. */
    private static HarnessProcess run(Path directory, Map<String, String> env, String... command) throws Exception {
        var builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("JAVA_HOME") && !name.equals("HOME"));
        builder.environment().putAll(env);
        Path log = Files.createTempFile("process", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish in 10 minutes: " + List.of(command));
        }
        return new HarnessProcess(process.exitValue(), Files.readString(log));
    }
}
