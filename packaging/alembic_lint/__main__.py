"""`python -m alembic_lint ...` runs the linter like the `alembic-lint` command."""

import sys

from alembic_lint import main

sys.exit(main())
