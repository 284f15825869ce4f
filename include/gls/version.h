/* version.h: the release version, set by the Makefile. */
#ifndef GLS_VERSION_H
#define GLS_VERSION_H
#ifndef GLS_VERSION
#define GLS_VERSION "0.0.0-dev"
#endif
#endif
