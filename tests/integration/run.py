"""Runs every tests/integration/test_*.py with unittest and prints one
closing line: 'integration: N passed, N failed, N skipped'."""

import os
import sys
import tempfile
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

# Glossary caches go to a folder of this run, never the user's ~/.cache
# (tests of the cache set their own).
_cache = tempfile.TemporaryDirectory(prefix="gls-test-cache-")
os.environ.setdefault("GLOSSARY_LS_CACHE", _cache.name)

pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
suite = unittest.defaultTestLoader.discover(here, pattern=pattern, top_level_dir=here)
result = unittest.TextTestRunner(verbosity=int(os.environ.get("VERBOSE", "1")),
                                 stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
for test, reason in result.skipped:
    print("skipped: %s: %s" % (test.id(), reason))
print("integration: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed else 0)
