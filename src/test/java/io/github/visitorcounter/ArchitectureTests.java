package io.github.visitorcounter;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure, as the tree shows it: features on top, the policies some of them
 * apply below, {@code web} and {@code system} as infrastructure, and {@code counter} at
 * the bottom, owning the Redis model. No arrow runs back up.
 */
@AnalyzeClasses(packages = "io.github.visitorcounter", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String[] FEATURES = { "..visitorcounter.visitor..", "..visitorcounter.live..",
			"..visitorcounter.stats..", "..visitorcounter.badge..", "..visitorcounter.admin..",
			"..visitorcounter.dashboard.." };

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.github.visitorcounter.(*)..")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
		.layer("Application")
		.definedBy("io.github.visitorcounter")
		.layer("Features")
		.definedBy(FEATURES)
		.layer("Policies")
		.definedBy("..visitorcounter.privacy..", "..visitorcounter.ratelimit..")
		.layer("Infrastructure")
		.definedBy("..visitorcounter.web..", "..visitorcounter.system..")
		.layer("Counter")
		.definedBy("..visitorcounter.counter..")
		.whereLayer("Application")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("Features")
		.mayOnlyBeAccessedByLayers("Application")
		.whereLayer("Policies")
		.mayOnlyBeAccessedByLayers("Application", "Features")
		.whereLayer("Infrastructure")
		.mayOnlyBeAccessedByLayers("Application", "Features", "Policies");

	@ArchTest
	static final ArchRule featuresStandAlone = slices()
		.matching("io.github.visitorcounter.(visitor|live|stats|badge|admin|dashboard)..")
		.should()
		.notDependOnEachOther();

	@ArchTest
	static final ArchRule counterKnowsNothingOfTheWeb = noClasses().that()
		.resideInAPackage("..visitorcounter.counter..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
				"io.swagger..", "org.springdoc..");

	@ArchTest
	static final ArchRule controllersLiveInFeatures = classes().that()
		.areAnnotatedWith(RestController.class)
		.or()
		.areAnnotatedWith(Controller.class)
		.and()
		.areNotAssignableTo(ErrorController.class)
		.should()
		.resideInAnyPackage(FEATURES);

}
