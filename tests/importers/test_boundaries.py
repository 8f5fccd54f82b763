"""importers/ parses without I/O; only aws_account.py talks to AWS; the pure model does not import importers."""

import subprocess
import sys

from tests.test_architecture import _parsed, file_io_in, imports_in

BOTO_MODULES = ("boto3", "botocore")


def test_only_the_account_importer_uses_the_aws_sdk():
    bad = [f"{i.path}:{i.line}: imports {i.module}" for path, tree in _parsed("importers")
           for i in imports_in(tree, path) if any(i.is_of(m) for m in BOTO_MODULES)
           and path != "importers/aws_account.py"]
    assert not bad, "boto3/botocore belong in importers/aws_account.py only:\n" + "\n".join(bad)


def test_importers_read_and_write_no_files():
    bad = [problem for path, tree in _parsed("importers") for problem in file_io_in(tree, path)]
    assert not bad, "importers/ parses text; the command line reads the files:\n" + "\n".join(bad)


def test_the_model_does_not_depend_on_importers():
    bad = [f"{i.path}:{i.line}: imports {i.module}" for path, tree in _parsed("advisor")
           for i in imports_in(tree, path) if i.is_of("importers")]
    assert not bad, "\n".join(bad)


def test_the_package_does_not_load_boto3_for_file_imports():
    code = "import sys, importers; print('boto3' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
