#ifndef LINEAGE_CGRAPHVIZ_SHIM_H
#define LINEAGE_CGRAPHVIZ_SHIM_H

#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#include <stdlib.h>

/* The message collector lives on the Swift side; this trampoline gives cgraph a
 * plain C function pointer to call. */
typedef void (*lineage_gv_sink)(const char *message);
static lineage_gv_sink lineage_gv_current_sink = 0;

static int lineage_gv_errf(char *message) {
  if (lineage_gv_current_sink) lineage_gv_current_sink(message);
  return 0;
}

/* Installs `sink` as the receiver of every Graphviz error and warning. */
static inline void lineage_gv_install_sink(lineage_gv_sink sink) {
  lineage_gv_current_sink = sink;
  agseterrf(lineage_gv_errf);
  agseterr(AGWARN);
}

/* Frees the list returned by gvPluginList. */
static inline void lineage_gv_free_list(char **list, int count) {
  if (!list) return;
  for (int i = 0; i < count; i++) free(list[i]);
  free(list);
}

#endif
