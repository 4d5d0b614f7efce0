// How much waking a sleeping process costs, by mechanism: a cross-process ping-pong of N round
// trips between two processes, through a shared word (spinning, or futex wait/wake on it) or
// through a pair of pipes. Isolated mode spins first and then sleeps on a futex; this shows why a
// futex rather than a pipe or socket wakes the sleeping side.
//
//   gcc -O2 -o /tmp/wake_pingpong tests/EnclaveGen.Benchmarks/Native/wake_pingpong.c && /tmp/wake_pingpong 100000
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long futex(_Atomic int *word, int op, int value) { return syscall(SYS_futex, word, op, value, NULL, NULL, 0); }

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }

static void wait_change(_Atomic int *word, int seen, int sleep)
{
    while (atomic_load(word) == seen)
        if (sleep) futex(word, FUTEX_WAIT, seen);
}

static void post(_Atomic int *word, int sleep)
{
    atomic_fetch_add(word, 1);
    if (sleep) futex(word, FUTEX_WAKE, 1);
}

static double words(int n, int sleep)
{
    _Atomic int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    _Atomic int *ping = shared, *pong = shared + 16;
    if (fork() == 0) {
        for (int i = 0; i < n; i++) { wait_change(ping, i, sleep); post(pong, sleep); }
        _exit(0);
    }
    double start = now();
    for (int i = 0; i < n; i++) { post(ping, sleep); wait_change(pong, i, sleep); }
    double elapsed = now() - start;
    wait(NULL);
    munmap(shared, 4096);
    return elapsed / n;
}

static double pipes(int n)
{
    int there[2], back[2];
    char byte = 0;
    if (pipe(there) || pipe(back)) return -1;
    if (fork() == 0) {
        for (int i = 0; i < n; i++) { if (read(there[0], &byte, 1) != 1 || write(back[1], &byte, 1) != 1) _exit(1); }
        _exit(0);
    }
    double start = now();
    for (int i = 0; i < n; i++) { if (write(there[1], &byte, 1) != 1 || read(back[0], &byte, 1) != 1) return -1; }
    double elapsed = now() - start;
    wait(NULL);
    return elapsed / n;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    printf("round trip, shared word, both sides spinning: %8.0f ns\n", words(n, 0));
    printf("round trip, shared word, futex wait/wake:     %8.0f ns\n", words(n, 1));
    printf("round trip, pipe pair:                        %8.0f ns\n", pipes(n));
    return 0;
}
