package org.flashsale.inventory.http.rest;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

import io.quarkus.smallrye.openapi.OpenApiFilter;

import org.flashsale.inventory.http.problem.ErrorCode;
import org.flashsale.inventory.http.problem.ErrorContract;
import org.flashsale.inventory.http.problem.Problem;
import org.flashsale.inventory.http.problem.ProblemHeader;

/**
 * Writes every operation's error responses into the OpenAPI document, at build time, from {@link ErrorContract}: one
 * response per status, whose description names its codes, with the {@code Problem} schema, one example per code and
 * the headers that belong to the codes ({@link ErrorCode#headers()}). Success responses stay annotations.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ErrorResponses implements OASFilter {

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";

    private final Map<String, Set<ErrorCode>> codesByOperation = new HashMap<>();

    /** SmallRye passes the application's index: the resource classes are the classes with {@code @Path}. */
    public ErrorResponses(IndexView index) {
        index.getAnnotations(PATH).stream()
                .filter(path -> path.target().kind() == AnnotationTarget.Kind.CLASS)
                .map(path -> load(path.target().asClass().name().toString()))
                .forEach(this::addOperations);
    }

    private Class<?> load(String className) {
        try {
            return Class.forName(className, false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private void addOperations(Class<?> resource) {
        for (Method method : resource.getDeclaredMethods()) {
            Operation operation = method.getAnnotation(Operation.class);
            if (operation != null) {
                codesByOperation.put(operation.operationId(), ErrorContract.codes(method));
            }
        }
    }

    @Override
    public org.eclipse.microprofile.openapi.models.Operation filterOperation(
            org.eclipse.microprofile.openapi.models.Operation operation) {
        Set<ErrorCode> codes = codesByOperation.get(operation.getOperationId());
        if (codes == null) {
            throw new IllegalStateException("operation " + operation.getOperationId()
                    + " has no @Operation(operationId) on a resource method, so its errors cannot be listed");
        }
        Map<Integer, Set<ErrorCode>> byStatus = codes.stream().collect(Collectors.groupingBy(ErrorCode::status,
                TreeMap::new, Collectors.toCollection(() -> EnumSet.noneOf(ErrorCode.class))));
        byStatus.forEach((status, withStatus) -> operation.getResponses()
                .addAPIResponse(String.valueOf(status), response(withStatus)));
        return operation;
    }

    private static APIResponse response(Set<ErrorCode> codes) {
        APIResponse response = OASFactory.createAPIResponse()
                .description(codes.stream().map(code -> code.name() + " (" + code.title() + ")")
                        .collect(Collectors.joining(", ")))
                .content(problemContent(codes));
        Map<String, Header> headers = new LinkedHashMap<>();
        codes.stream().flatMap(code -> code.headers().stream()).distinct()
                .forEach(header -> headers.put(header.headerName(), header(header)));
        if (!headers.isEmpty()) {
            response.headers(headers);
        }
        return response;
    }

    private static Content problemContent(Set<ErrorCode> codes) {
        Map<String, Example> examples = new LinkedHashMap<>();
        for (ErrorCode code : codes) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", code.title());
            problem.put("status", code.status());
            problem.put("code", code.name());
            examples.put(code.name(), OASFactory.createExample().summary(code.title()).value(problem));
        }
        MediaType problem = OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA))
                .examples(examples);
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem);
    }

    private static Header header(ProblemHeader header) {
        return OASFactory.createHeader()
                .description(header.description())
                .required(true)
                .schema(OASFactory.createSchema()
                        .addType(header.example() instanceof Integer ? Schema.SchemaType.INTEGER : Schema.SchemaType.STRING)
                        .addExample(header.example()));
    }
}
