/* bench-startup.c - wall time of whole processes, for make bench.
 *
 *   bench-startup RUNS COMMAND [ARG...]
 *
 * Starts COMMAND RUNS times, one after the other, with standard output on
 * /dev/null, and prints the median, fastest and slowest wall time from
 * just before the spawn to the end of the wait, in milliseconds.  Timing
 * here rather than in the shell keeps the shell's own forks (a `date`
 * before and after) out of the figure.  A measurement, not a test.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One run: its wall time in ms, or -1 when the command failed. */
static double run_once(char **argv, posix_spawn_file_actions_t *fa)
{
    pid_t pid;
    int status;
    double start = now_ms();
    if (posix_spawn(&pid, argv[0], fa, NULL, argv, environ) != 0 ||
        waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    return now_ms() - start;
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[1]) : 0;
    if (runs < 1) {
        fprintf(stderr, "usage: bench-startup RUNS COMMAND [ARG...]\n");
        return 2;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    double *ms = malloc((size_t)runs * sizeof *ms);
    if (!ms)
        return 1;
    run_once(argv + 2, &fa);   /* warm the page cache; not counted */
    for (int i = 0; i < runs; i++)
        if ((ms[i] = run_once(argv + 2, &fa)) < 0) {
            fprintf(stderr, "bench-startup: %s failed\n", argv[2]);
            return 1;
        }
    qsort(ms, (size_t)runs, sizeof *ms, by_value);
    printf("median %.1f ms, fastest %.1f ms, slowest %.1f ms\n",
           ms[runs / 2], ms[0], ms[runs - 1]);
    posix_spawn_file_actions_destroy(&fa);
    free(ms);
    return 0;
}
