package course.testkit;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The module's real WAR, as Maven packaged it, for black-box tests: the test deploys exactly what a
 * learner runs. It is deployed as ROOT.war, so the app answers at "/" as it does with the run command.
 */
public final class ModuleWar {

    private ModuleWar() {
    }

    public static WebArchive asRoot(String finalName) {
        File war = new File("target", finalName + ".war");
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the tests through Maven (mvn verify), "
                    + "which packages the WAR before the integration tests.");
        }
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
    }
}
