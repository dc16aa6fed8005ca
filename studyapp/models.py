"""Imports every domain's models so mappers configure and Alembic sees all tables."""

from studyapp.audit.models import AuditEvent  # noqa: F401
from studyapp.auth.models import AuthSession, RoleGrant, User  # noqa: F401
from studyapp.content.models import (  # noqa: F401
    Lesson,
    MediaFile,
    Question,
    QuestionBank,
    QuestionRevision,
    QuizDefinition,
)
from studyapp.db import Base  # noqa: F401
from studyapp.org.models import OrgUnit  # noqa: F401
from studyapp.progress.models import (  # noqa: F401
    ActivityEvent,
    BookLog,
    DailyActivity,
    ExcusedDay,
    MakeUp,
    PointsEntry,
    ReadingState,
    StudyTime,
    UserStats,
)
