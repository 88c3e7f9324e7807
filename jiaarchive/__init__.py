"""jiaarchive: the records system for 建家 (职工之家) evidence files."""

__version__ = "0.1.0"
