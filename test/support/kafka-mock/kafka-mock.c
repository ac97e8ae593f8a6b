/*
 * A Kafka test broker: a librdkafka mock cluster (rd_kafka_mock_cluster_new) with N brokers and
 * the given topics, speaking the Kafka wire protocol on 127.0.0.1.
 *
 * Usage: kafka-mock [--brokers N] [--topic NAME:PARTITIONS]... [--unknown-topic NAME]...
 * A topic given with --unknown-topic answers UNKNOWN_TOPIC_OR_PARTITION, as a broker without it
 * does (the mock otherwise creates every topic a client asks for).
 * Prints one line, the bootstrap address list, on stdout; runs until stdin closes or SIGTERM.
 * Reads commands on stdin, one a line: `down ID` disconnects broker ID and refuses connections
 * (rd_kafka_mock_broker_set_down), `up ID` lets it serve again; each is answered `ok` on stdout.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static int fail(const char *message, const char *detail) {
  fprintf(stderr, "kafka-mock: %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
  return 2;
}

int main(int argc, char **argv) {
  int brokers = 1;
  char errstr[512];
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) {
      brokers = atoi(argv[++i]);
      if (brokers < 1) return fail("--brokers must be a positive integer", argv[i]);
    } else if ((strcmp(argv[i], "--topic") == 0 || strcmp(argv[i], "--unknown-topic") == 0) && i + 1 < argc) {
      i++;
    } else {
      return fail("unknown argument", argv[i]);
    }
  }

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) return fail("config", errstr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (rk == NULL) return fail("cannot create the librdkafka instance", errstr);
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (cluster == NULL) return fail("cannot create the mock cluster", NULL);

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--unknown-topic") == 0) {
      rd_kafka_mock_topic_set_error(cluster, argv[++i], RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
      continue;
    }
    if (strcmp(argv[i], "--topic") != 0) continue;
    const char *spec = argv[++i];
    const char *colon = strrchr(spec, ':');
    if (colon == NULL || colon == spec) return fail("--topic takes NAME:PARTITIONS", spec);
    int partitions = atoi(colon + 1);
    if (partitions < 1) return fail("--topic partitions must be a positive integer", spec);
    char name[256];
    size_t length = (size_t)(colon - spec);
    if (length >= sizeof name) return fail("topic name too long", spec);
    memcpy(name, spec, length);
    name[length] = '\0';
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, name, partitions, brokers < 3 ? brokers : 3);
    if (err) return fail("cannot create topic", rd_kafka_err2str(err));
  }

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[256];
  size_t used = 0;
  struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
  while (!stopping) {
    if (poll(&input, 1, 200) <= 0) continue;
    ssize_t got = read(STDIN_FILENO, line + used, sizeof line - 1 - used);
    if (got <= 0) break;
    used += (size_t)got;
    line[used] = '\0';
    char *newline;
    while ((newline = strchr(line, '\n')) != NULL) {
      *newline = '\0';
      int id = 0;
      if (sscanf(line, "down %d", &id) == 1) rd_kafka_mock_broker_set_down(cluster, id);
      else if (sscanf(line, "up %d", &id) == 1) rd_kafka_mock_broker_set_up(cluster, id);
      printf("ok\n");
      fflush(stdout);
      size_t rest = used - (size_t)(newline + 1 - line);
      memmove(line, newline + 1, rest + 1);
      used = rest;
    }
    if (used == sizeof line - 1) used = 0;
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
