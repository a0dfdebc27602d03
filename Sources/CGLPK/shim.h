#ifndef ROUTERISK_CGLPK_SHIM_H
#define ROUTERISK_CGLPK_SHIM_H
// Debian's libglpk-dev ships no pkg-config file: the module map links "glpk" by name.
#include <glpk.h>
#include <setjmp.h>
#include <string.h>

// GLPK's fatal errors (glp_error, failed assertions) print a message and call abort() unless
// the hook installed with glp_error_hook leaves by longjmp (GLPK reference manual, "glp_error_hook").
// The three functions below run one GLPK call under such a hook, so a fatal error comes back
// as a non-zero `failed` with GLPK's message instead of ending the process. After a failure
// the thread's GLPK environment is freed (glp_free_env, as the manual requires), which frees
// every problem object of the thread: `routerisk_glp_generation()` changes, and owners made
// before must not call glp_delete_prob.

typedef struct {
    jmp_buf jump;
    char message[512];
} routerisk_glp_guard;

/// This thread's state: the active guard, the environment generation, GLPK's last messages.
/// (Function-local statics: Swift's importer emits the functions of a header, not its globals.)
typedef struct {
    routerisk_glp_guard *active;
    unsigned long generation;
    char messages[512];
} routerisk_glp_thread_state;

static inline routerisk_glp_thread_state *routerisk_glp_state(void) {
    static _Thread_local routerisk_glp_thread_state state;
    return &state;
}

/// Every line GLPK would print goes here and is not printed (glp_term_hook returning non-zero).
static int routerisk_glp_terminal(void *info, const char *s) {
    (void)info;
    size_t used = strlen(routerisk_glp_state()->messages);
    size_t room = sizeof(routerisk_glp_state()->messages) - 1;
    if (used + strlen(s) > room) { routerisk_glp_state()->messages[0] = 0; used = 0; }
    strncat(routerisk_glp_state()->messages, s, room - used);
    return 1;
}

static void routerisk_glp_fatal(void *info) {
    (void)info;
    routerisk_glp_guard *guard = routerisk_glp_state()->active;
    if (guard != NULL) longjmp(guard->jump, 1);
}

/// Silences this thread's GLPK terminal output (messages are kept for errors) and installs the hook.
static inline void routerisk_glp_prepare_thread(void) {
    glp_term_out(GLP_ON);
    glp_term_hook(routerisk_glp_terminal, NULL);
    glp_error_hook(routerisk_glp_fatal, NULL);
}

static inline unsigned long routerisk_glp_generation(void) { return routerisk_glp_state()->generation; }

/// The text GLPK wrote since the last call (warnings, the message of a fatal error), then cleared.
static inline void routerisk_glp_take_messages(char *out, int capacity) {
    if (capacity <= 0) return;
    strncpy(out, routerisk_glp_state()->messages, (size_t)capacity - 1);
    out[capacity - 1] = 0;
    routerisk_glp_state()->messages[0] = 0;
}

static void routerisk_glp_recover(void) {
    routerisk_glp_state()->active = NULL;
    routerisk_glp_state()->generation += 1;
    glp_free_env();
    routerisk_glp_prepare_thread();
}

/// glp_simplex under the fatal-error hook; *failed = 1 when GLPK hit a fatal error.
static inline int routerisk_glp_simplex(glp_prob *P, const glp_smcp *parm, int *failed) {
    routerisk_glp_guard guard;
    *failed = 0;
    routerisk_glp_state()->active = &guard;
    if (setjmp(guard.jump) != 0) { *failed = 1; routerisk_glp_recover(); return -1; }
    int code = glp_simplex(P, parm);
    routerisk_glp_state()->active = NULL;
    return code;
}

/// glp_intopt under the fatal-error hook; *failed = 1 when GLPK hit a fatal error.
static inline int routerisk_glp_intopt(glp_prob *P, const glp_iocp *parm, int *failed) {
    routerisk_glp_guard guard;
    *failed = 0;
    routerisk_glp_state()->active = &guard;
    if (setjmp(guard.jump) != 0) { *failed = 1; routerisk_glp_recover(); return -1; }
    int code = glp_intopt(P, parm);
    routerisk_glp_state()->active = NULL;
    return code;
}

/// glp_load_matrix under the fatal-error hook (it is fatal on an index out of range or a duplicate).
static inline void routerisk_glp_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[], int *failed) {
    routerisk_glp_guard guard;
    *failed = 0;
    routerisk_glp_state()->active = &guard;
    if (setjmp(guard.jump) != 0) { *failed = 1; routerisk_glp_recover(); return; }
    glp_load_matrix(P, ne, ia, ja, ar);
    routerisk_glp_state()->active = NULL;
}

#endif
