package org.flashsale.inventory.http.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The API's route table: every path template of the deployed JAX-RS resources with the methods its resource methods
 * answer, read once from their annotations. Quarkus REST's own answer to {@code OPTIONS} lists every method of the
 * resource class, and a 405 carries no {@code Allow}; this table gives the methods of the path itself.
 */
@ApplicationScoped
public class ApiRoutes {

    /** The methods JAX-RS knows, in the order {@code Allow} lists them. */
    enum Verb {
        GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS
    }

    private record Route(Pattern pattern, Set<Verb> verbs) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*})+))?}");

    private final List<Route> routes;

    public ApiRoutes(BeanManager beans) {
        Map<String, Set<Verb>> table = new LinkedHashMap<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Path root = bean.getBeanClass().getAnnotation(Path.class);
            if (root != null) {
                addResource(table, root.value(), bean.getBeanClass());
            }
        }
        List<Route> built = new ArrayList<>();
        table.forEach((template, verbs) -> built.add(new Route(pattern(template), verbs)));
        this.routes = List.copyOf(built);
    }

    /**
     * The {@code Allow} value for a path: the methods of every template it matches, with HEAD wherever GET is (JAX-RS
     * answers HEAD with the GET method) and OPTIONS; empty when no route has the path.
     */
    public Optional<String> allow(String path) {
        Set<Verb> verbs = EnumSet.noneOf(Verb.class);
        for (Route route : routes) {
            if (route.pattern().matcher(path).matches()) {
                verbs.addAll(route.verbs());
            }
        }
        if (verbs.isEmpty()) {
            return Optional.empty();
        }
        if (verbs.contains(Verb.GET)) {
            verbs.add(Verb.HEAD);
        }
        verbs.add(Verb.OPTIONS);
        return Optional.of(verbs.stream().map(Verb::name).collect(Collectors.joining(", ")));
    }

    private static void addResource(Map<String, Set<Verb>> table, String root, Class<?> resource) {
        for (Method method : resource.getMethods()) {
            Verb verb = verbOf(method);
            if (verb != null) {
                Path path = method.getAnnotation(Path.class);
                String template = join(root, path == null ? "" : path.value());
                table.computeIfAbsent(template, t -> EnumSet.noneOf(Verb.class)).add(verb);
            }
        }
    }

    private static Verb verbOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return Verb.valueOf(http.value());
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String joined = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** A JAX-RS template as a regular expression: {@code {id}} is one segment, {@code {id: regex}} its regex. */
    static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher variable = VARIABLE.matcher(template);
        int literal = 0;
        while (variable.find()) {
            regex.append(Pattern.quote(template.substring(literal, variable.start())));
            regex.append('(').append(variable.group(1) == null ? "[^/]+" : variable.group(1).trim()).append(')');
            literal = variable.end();
        }
        regex.append(Pattern.quote(template.substring(literal)));
        // Quarkus REST matches a path with a trailing slash as the path without it.
        return Pattern.compile(regex.append("/?").toString());
    }
}
