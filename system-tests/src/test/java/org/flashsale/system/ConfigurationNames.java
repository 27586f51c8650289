package org.flashsale.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables the apps really read, for the deployment descriptors (compose file, Kubernetes
 * manifests) to be checked against: every variable is in the README's configuration table, and a FLASHSALE_* one is
 * read by an app's @ConfigMapping too.
 */
final class ConfigurationNames {

    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)");
    private static final Pattern MAPPING_METHOD = Pattern.compile("\\n\\s+[A-Za-z<>.]+ ([a-z][A-Za-z]*)\\(\\);");
    private static final Pattern README_TABLE_VARIABLE = Pattern.compile("\\| `([A-Z0-9_]+)`");

    private static final Set<String> FLASHSALE = readByConfigMappings();
    private static final Set<String> DOCUMENTED = documentedInReadme();

    private ConfigurationNames() {
    }

    /** Fails unless the variable is documented and, for FLASHSALE_*, read by an app. */
    static void assertRealConfigurationName(String variable, String where) {
        assertTrue(DOCUMENTED.contains(variable), variable + " (" + where + ") is not documented");
        assertTrue(!variable.startsWith("FLASHSALE_") || FLASHSALE.contains(variable),
                variable + " (" + where + ") is not read by any app");
    }

    /** FLASHSALE_* names the apps read: from their @ConfigMapping interfaces (prefix + method names, kebab-cased). */
    static Set<String> readByConfigMappings() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(App.ROOT)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main"))
                    .toList()) {
                String code = Files.readString(source);
                Matcher prefix = MAPPING_PREFIX.matcher(code);
                if (!prefix.find()) {
                    continue;
                }
                Matcher method = MAPPING_METHOD.matcher(code);
                while (method.find()) {
                    String kebab = method.group(1).replaceAll("([A-Z])", "-$1").toLowerCase();
                    names.add((prefix.group(1) + "." + kebab).toUpperCase().replace('.', '_').replace('-', '_'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The variables in the first column of the README's configuration table. */
    private static Set<String> documentedInReadme() {
        try {
            Matcher documented = README_TABLE_VARIABLE.matcher(Files.readString(App.ROOT.resolve("README.md")));
            Set<String> names = new TreeSet<>();
            while (documented.find()) {
                names.add(documented.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
