package coop.relay.testkit;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The dependency rules of DESIGN.md as ArchUnit rules, for every module to check against its own
 * production classes. A module's test runs all of them with:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "coop.relay", importOptions = ImportOption.DoNotIncludeTests.class)
 * class ArchitectureTest {
 *   @ArchTest
 *   static final ArchTests DESIGN_RULES = ArchTests.in(ArchitectureRules.class);
 * }
 * }</pre>
 *
 * <p>Each module sees only the classes on its classpath, so a rule about packages that are not there
 * passes vacuously (they allow an empty selection); together, the modules cover the whole project.
 * Import production classes only: tests may use anything (a connector's test extends the TCK). Outside
 * JUnit, check {@link #all()} against imported classes.
 */
public final class ArchitectureRules {
  /** The packages of the platform connectors, which must not know about each other. */
  public static final List<String> CONNECTOR_PACKAGES = List.of(
      "coop.relay.telegram..", "coop.relay.discord..", "coop.relay.slack..", "coop.relay.matrix..");

  /** The packages of relay-api. */
  public static final List<String> API_PACKAGES = List.of("coop.relay.api..", "coop.relay.spi..");

  /** Packages whose types must not appear in public signatures of relay-api and relay-core. */
  public static final List<String> TRANSPORT_PACKAGES = List.of(
      "tools.jackson..", "com.fasterxml.jackson..", "okhttp3..", "okio..", "io.netty..", "reactor.netty..");

  private static final String CORE = "coop.relay.core..";
  private static final String SANDBOX = "coop.relay.sandbox..";
  private static final String TESTKIT = "coop.relay.testkit..";

  private ArchitectureRules() {}

  /** relay-api depends on nothing of ours outside {@code coop.relay.api} and {@code coop.relay.spi}. */
  @ArchTest
  public static final ArchRule RELAY_API_DEPENDS_ON_NOTHING_OF_OURS = noClasses()
      .that().resideInAnyPackage(array(API_PACKAGES))
      .should().dependOnClassesThat(resideInAPackage("coop.relay..").and(not(resideInAnyPackage(array(API_PACKAGES)))))
      .because("relay-api is the contract every other module builds on (DESIGN.md)")
      .allowEmptyShould(true);

  /** relay-api uses the JDK, Reactor and JSpecify only. */
  @ArchTest
  public static final ArchRule RELAY_API_USES_ONLY_THE_JDK_REACTOR_AND_JSPECIFY = classes()
      .that().resideInAnyPackage(array(API_PACKAGES))
      .should().onlyDependOnClassesThat().resideInAnyPackage(
          "coop.relay.api..", "coop.relay.spi..", "java..", "reactor.core..", "reactor.util..",
          "org.reactivestreams..", "org.jspecify..")
      .because("relay-api depends on reactor-core and JSpecify only (DESIGN.md)")
      .allowEmptyShould(true);

  /** Connectors never depend on relay-core. */
  @ArchTest
  public static final ArchRule CONNECTORS_DO_NOT_DEPEND_ON_THE_CORE = noClasses()
      .that().resideInAnyPackage(array(CONNECTOR_PACKAGES))
      .should().dependOnClassesThat().resideInAPackage(CORE)
      .because("connectors depend on relay-api and connector-support only (DESIGN.md)")
      .allowEmptyShould(true);

  /** No connector depends on another connector. */
  @ArchTest
  public static final ArchRule CONNECTORS_DO_NOT_DEPEND_ON_EACH_OTHER = connectorsIndependent();

  /** relay-core never depends on a connector. */
  @ArchTest
  public static final ArchRule CORE_DOES_NOT_DEPEND_ON_CONNECTORS = noClasses()
      .that().resideInAPackage(CORE)
      .should().dependOnClassesThat().resideInAnyPackage(array(CONNECTOR_PACKAGES))
      .because("the routing core only knows the Connector SPI (DESIGN.md)")
      .allowEmptyShould(true);

  /** The sandbox's emulators never depend on a connector (nor on the core). */
  @ArchTest
  public static final ArchRule SANDBOX_DOES_NOT_DEPEND_ON_CONNECTORS = noClasses()
      .that().resideInAPackage(SANDBOX)
      .should().dependOnClassesThat().resideInAnyPackage(concat(CONNECTOR_PACKAGES, CORE))
      .because("each emulator is written from the platform's spec, not from our connector, so the two can disagree"
          + " (DESIGN.md)")
      .allowEmptyShould(true);

  /** Library code never depends on the testkit (tests and samples may). */
  @ArchTest
  public static final ArchRule LIBRARY_CODE_DOES_NOT_DEPEND_ON_THE_TESTKIT = noClasses()
      .that().resideInAnyPackage(concat(concat(API_PACKAGES, CORE, SANDBOX), array(CONNECTOR_PACKAGES)))
      .should().dependOnClassesThat().resideInAPackage(TESTKIT)
      .because("the testkit is a test dependency; production code must not need it")
      .allowEmptyShould(true);

  /** No Jackson, OkHttp or Netty type appears in a public or protected signature of relay-api or relay-core. */
  @ArchTest
  public static final ArchRule NO_TRANSPORT_TYPES_IN_PUBLIC_SIGNATURES = classes()
      .that().resideInAnyPackage(concat(API_PACKAGES, CORE))
      .and().resideOutsideOfPackage("..internal..")
      .and().arePublic()
      .should(exposeNoTypesFrom(TRANSPORT_PACKAGES, "Jackson, OkHttp or Netty"))
      .because("users of relay-api and relay-core must not be tied to our HTTP and JSON libraries (DESIGN.md)")
      .allowEmptyShould(true);

  /** Classes in an {@code .internal} package are used only within the package tree that owns it. */
  @ArchTest
  public static final ArchRule INTERNALS_ARE_USED_ONLY_BY_THEIR_OWNER = classes()
      .that().resideInAPackage("coop.relay..")
      .should(useNoInternalsOfOtherPackages())
      .because("everything outside the public packages is an implementation detail of its module (DESIGN.md)")
      .allowEmptyShould(true);

  /** Public types outside {@code .internal} packages do not expose internal types in their signatures. */
  @ArchTest
  public static final ArchRule PUBLIC_API_DOES_NOT_EXPOSE_INTERNALS = classes()
      .that().resideInAPackage("coop.relay..")
      .and().resideOutsideOfPackage("..internal..")
      .and().arePublic()
      .should(exposeNoTypesFrom(List.of("..internal.."), "internal"))
      .because("a type users can reach must not hand them an implementation detail")
      .allowEmptyShould(true);

  /** Every package of ours is {@code @NullMarked} (JSpecify), so unannotated types are non-null. */
  @ArchTest
  public static final ArchRule EVERY_PACKAGE_IS_NULL_MARKED = classes()
      .that().resideInAPackage("coop.relay..")
      .should(resideInANullMarkedPackage())
      .because("nullness is explicit everywhere: @NullMarked packages, @Nullable where null is allowed")
      .allowEmptyShould(true);

  /** Every rule of this class, for checking outside JUnit: {@code ArchitectureRules.all().check(classes)}. */
  public static ArchRule all() {
    return CompositeArchRule.of(RELAY_API_DEPENDS_ON_NOTHING_OF_OURS)
        .and(RELAY_API_USES_ONLY_THE_JDK_REACTOR_AND_JSPECIFY)
        .and(CONNECTORS_DO_NOT_DEPEND_ON_THE_CORE)
        .and(CONNECTORS_DO_NOT_DEPEND_ON_EACH_OTHER)
        .and(CORE_DOES_NOT_DEPEND_ON_CONNECTORS)
        .and(SANDBOX_DOES_NOT_DEPEND_ON_CONNECTORS)
        .and(LIBRARY_CODE_DOES_NOT_DEPEND_ON_THE_TESTKIT)
        .and(NO_TRANSPORT_TYPES_IN_PUBLIC_SIGNATURES)
        .and(INTERNALS_ARE_USED_ONLY_BY_THEIR_OWNER)
        .and(PUBLIC_API_DOES_NOT_EXPOSE_INTERNALS)
        .and(EVERY_PACKAGE_IS_NULL_MARKED);
  }

  /**
   * Public top-level types live only in the given packages or in {@code .internal} packages. Not part
   * of {@link #all()}, because modules without a public package of their own (connector-support,
   * samples) must name theirs: pass {@code "coop.relay.api.."}, ..., and their own.
   */
  public static ArchRule publicTypesResideOnlyIn(String... publicPackages) {
    return classes()
        .that().resideInAPackage("coop.relay..")
        .and().arePublic()
        .and().areTopLevelClasses()
        .should().resideInAnyPackage(concat(List.of(publicPackages), "..internal.."))
        .because("public API lives in the packages DESIGN.md names; everything else is in .internal packages")
        .allowEmptyShould(true);
  }

  private static ArchRule connectorsIndependent() {
    List<ArchRule> rules = new ArrayList<>();
    for (String connector : CONNECTOR_PACKAGES) {
      List<String> others = new ArrayList<>(CONNECTOR_PACKAGES);
      others.remove(connector);
      rules.add(noClasses()
          .that().resideInAPackage(connector)
          .should().dependOnClassesThat().resideInAnyPackage(array(others))
          .because("a connector is replaceable and knows no other platform (DESIGN.md)")
          .allowEmptyShould(true));
    }
    CompositeArchRule composite = CompositeArchRule.of(rules.get(0));
    for (ArchRule rule : rules.subList(1, rules.size())) {
      composite = composite.and(rule);
    }
    return composite;
  }

  private static ArchCondition<JavaClass> exposeNoTypesFrom(List<String> packages, String what) {
    Predicate<JavaClass> forbidden = c -> resideInAnyPackage(array(packages)).test(c);
    return new ArchCondition<>("expose no " + what + " types in public or protected signatures") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        Set<String> leaks = new LinkedHashSet<>();
        for (JavaType supertype : supertypes(item)) {
          exposed(supertype, forbidden, leaks, item.getName() + " extends/implements");
        }
        for (JavaField field : item.getFields()) {
          if (isVisible(field)) {
            exposed(field.getType(), forbidden, leaks, field.getFullName());
          }
        }
        for (JavaCodeUnit unit : item.getCodeUnits()) {
          if (!isVisible(unit)) {
            continue;
          }
          exposed(unit.getReturnType(), forbidden, leaks, unit.getFullName() + " returns");
          for (JavaType parameter : unit.getParameterTypes()) {
            exposed(parameter, forbidden, leaks, unit.getFullName() + " takes");
          }
          for (JavaClass thrown : unit.getExceptionTypes()) {
            exposed(thrown, forbidden, leaks, unit.getFullName() + " throws");
          }
        }
        for (String leak : leaks) {
          events.add(SimpleConditionEvent.violated(item, leak));
        }
        if (leaks.isEmpty()) {
          events.add(SimpleConditionEvent.satisfied(item, item.getName() + " exposes no " + what + " types"));
        }
      }
    };
  }

  private static List<JavaType> supertypes(JavaClass item) {
    List<JavaType> out = new ArrayList<>();
    item.getSuperclass().ifPresent(out::add);
    out.addAll(item.getInterfaces());
    return out;
  }

  private static boolean isVisible(JavaMember member) {
    Set<JavaModifier> modifiers = member.getModifiers();
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static void exposed(JavaType type, Predicate<JavaClass> forbidden, Set<String> leaks, String where) {
    for (JavaClass involved : type.getAllInvolvedRawTypes()) {
      if (forbidden.test(involved)) {
        leaks.add(where + " " + involved.getName());
      }
    }
  }

  private static ArchCondition<JavaClass> useNoInternalsOfOtherPackages() {
    return new ArchCondition<>("use no .internal classes of another package tree") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          String owner = internalOwner(target.getPackageName());
          if (owner == null || !target.getPackageName().startsWith("coop.relay.")) {
            continue;
          }
          String origin = item.getPackageName();
          if (!origin.equals(owner) && !origin.startsWith(owner + ".")) {
            events.add(SimpleConditionEvent.violated(item, dependency.getDescription()
                + ", but " + target.getPackageName() + " is internal to " + owner));
          }
        }
      }
    };
  }

  /** The package owning an internal package ({@code a.b} for {@code a.b.internal.c}), or {@code null}. */
  private static @Nullable String internalOwner(String packageName) {
    String marker = ".internal";
    int from = 0;
    while (true) {
      int at = packageName.indexOf(marker, from);
      if (at < 0) {
        return null;
      }
      int end = at + marker.length();
      if (end == packageName.length() || packageName.charAt(end) == '.') {
        return packageName.substring(0, at);
      }
      from = end;
    }
  }

  private static ArchCondition<JavaClass> resideInANullMarkedPackage() {
    return new ArchCondition<>("reside in a @NullMarked package") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        boolean marked = item.getPackage().isAnnotatedWith(NullMarked.class);
        events.add(new SimpleConditionEvent(item, marked, "package " + item.getPackageName() + " of "
            + item.getName() + (marked ? " is" : " is not")
            + " @NullMarked; add a package-info.java with @NullMarked"));
      }
    };
  }

  private static String[] array(List<String> packages) {
    return packages.toArray(String[]::new);
  }

  private static String[] concat(List<String> packages, String... more) {
    List<String> all = new ArrayList<>(packages);
    all.addAll(List.of(more));
    return array(all);
  }

  private static String[] concat(String[] packages, String... more) {
    return concat(List.of(packages), more);
  }
}
