@echo off
rem The released runner: certify a running target. Needs Java 17 (on PATH, or JAVA_HOME).
setlocal
set "HERE=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java") else (set "JAVA=java")
"%JAVA%" -Dconformance.launcher=conformance -jar "%HERE%\conformance.jar" %*
exit /b %ERRORLEVEL%
