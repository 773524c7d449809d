package io.quasid.job;

import io.quasid.job.embedded.BrokerLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * A KRaft broker secured as {@code ops/k8s} configures Strimzi's: its only client listener is
 * SASL_SSL with SCRAM-SHA-512 (the inter-broker link uses it too, as super user {@code admin}),
 * ACLs enforced by Kafka's {@code StandardAuthorizer} with nothing allowed where no ACL says so,
 * and no PLAINTEXT client listener. The certificate is self-signed for {@code localhost} by the
 * JDK's keytool; clients trust it as a PEM file, the way the job trusts Strimzi's cluster CA.
 *
 * <p>The controller listener stays PLAINTEXT on loopback and its principal ({@code ANONYMOUS}) a
 * super user, which KRaft needs for the broker's own requests to its controller; it serves only
 * controller requests. In Strimzi it is mutual TLS.
 */
final class SecuredKafka implements AutoCloseable {

  static final String ADMIN = "admin";
  private static final String LISTENER = "SECURE";
  private static final String STORE_PASSWORD = "broker-keystore-secret";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Process process;
  private final String bootstrap;
  private final Path caCertificate;
  private final String adminPassword;
  private final Admin admin;

  private SecuredKafka(
      Path dir, Process process, String bootstrap, Path caCertificate, String adminPassword) {
    this.dir = dir;
    this.process = process;
    this.bootstrap = bootstrap;
    this.caCertificate = caCertificate;
    this.adminPassword = adminPassword;
    this.admin = Admin.create(new HashMap<>(clientProperties(ADMIN, adminPassword)));
  }

  static SecuredKafka start(Path dir) throws Exception {
    String adminPassword = "admin-" + Uuid.randomUuid();
    Path keystore = dir.resolve("broker.p12");
    Path ca = dir.resolve("ca.crt");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "broker",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        ca.toString());

    int port = BrokerLauncher.freePort();
    int controllerPort = BrokerLauncher.freePort();
    Process process =
        BrokerLauncher.launch(
            dir,
            controllerPort,
            listenerSettings(keystore, ca, port, controllerPort, adminPassword),
            // The inter-broker link logs in with SCRAM, so admin's credential must exist before
            // the broker starts.
            "--add-scram",
            "SCRAM-SHA-512=[name=" + ADMIN + ",password=" + adminPassword + "]");
    SecuredKafka kafka = new SecuredKafka(dir, process, "localhost:" + port, ca, adminPassword);
    try {
      kafka.awaitReady();
      return kafka;
    } catch (Exception e) {
      kafka.close();
      throw new IllegalStateException(
          "secured broker did not start; its log ends:\n" + BrokerLauncher.logTail(dir), e);
    }
  }

  String bootstrapServers() {
    return bootstrap;
  }

  Path caCertificate() {
    return caCertificate;
  }

  Admin admin() {
    return admin;
  }

  String adminPassword() {
    return adminPassword;
  }

  /** SASL_SSL with SCRAM-SHA-512 as {@code user}, trusting the broker's certificate (PEM). */
  Map<String, String> clientProperties(String user, String password) {
    Map<String, String> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
    p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString());
    return p;
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** Creates SCRAM-SHA-512 users, and waits until the first of them is let in. */
  void createUsers(Map<String, String> passwords) throws Exception {
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    passwords.forEach(
        (user, password) ->
            upserts.add(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
    admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
    for (Map.Entry<String, String> user : passwords.entrySet()) {
      awaitAdmitted(clientProperties(user.getKey(), user.getValue()));
    }
  }

  void createAcls(Collection<AclBinding> acls) throws Exception {
    admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
  }

  private void awaitReady() throws Exception {
    awaitAdmitted(clientProperties(ADMIN, adminPassword));
  }

  /** Credentials reach the broker through the metadata log: a new user is admitted a bit later. */
  private void awaitAdmitted(Map<String, String> client) throws Exception {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker exited with " + process.exitValue());
      }
      try (Admin probe = Admin.create(new HashMap<>(client))) {
        probe.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get();
        return;
      } catch (Exception e) {
        boolean retriable =
            e.getCause() instanceof SaslAuthenticationException
                || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
        if (!retriable || System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(200);
    }
  }

  /** The secured listener, the authorizer and the controller listener's address. */
  private static Properties listenerSettings(
      Path keystore, Path ca, int port, int controllerPort, String adminPassword) {
    String listener = "listener.name." + LISTENER.toLowerCase() + ".";
    Properties p = new Properties();
    String listeners =
        LISTENER + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort;
    p.setProperty("listeners", listeners);
    p.setProperty("advertised.listeners", listeners);
    p.setProperty("listener.security.protocol.map", LISTENER + ":SASL_SSL,CONTROLLER:PLAINTEXT");
    p.setProperty("inter.broker.listener.name", LISTENER);
    p.setProperty("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
    p.setProperty(listener + "sasl.enabled.mechanisms", "SCRAM-SHA-512");
    // The server side reads credentials from the metadata log; the username and password here
    // are the broker's own, for its inter-broker client.
    p.setProperty(listener + "scram-sha-512.sasl.jaas.config", jaas(ADMIN, adminPassword));
    p.setProperty(listener + "ssl.keystore.type", "PKCS12");
    p.setProperty(listener + "ssl.keystore.location", keystore.toString());
    p.setProperty(listener + "ssl.keystore.password", STORE_PASSWORD);
    p.setProperty(listener + "ssl.key.password", STORE_PASSWORD);
    // The broker's inter-broker client checks the certificate like any other client.
    p.setProperty(listener + "ssl.truststore.type", "PEM");
    p.setProperty(listener + "ssl.truststore.location", ca.toString());
    p.setProperty(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.setProperty("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
    p.setProperty("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }

  @Override
  public void close() throws InterruptedException {
    admin.close(Duration.ofSeconds(5));
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
