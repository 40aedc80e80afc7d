"""The desktop app and the `ipr-workbench` command line; the only package that imports Qt."""
